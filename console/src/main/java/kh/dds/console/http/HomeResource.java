package kh.dds.console.http;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import kh.dds.console.session.Person;

/** The start page (the person's own tasks, by role) and the page after signing out. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {

    private final Pages pages;
    private final Person person;

    public HomeResource(Pages pages, Person person) {
        this.pages = pages;
        this.person = person;
    }

    @GET
    public TemplateInstance home() {
        return pages.page("index", person);
    }

    @GET
    @Path("signed-out")
    public TemplateInstance signedOut() {
        return pages.page("signed-out", null);
    }
}
