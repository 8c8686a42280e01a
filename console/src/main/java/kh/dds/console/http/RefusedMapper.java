package kh.dds.console.http;

import io.quarkus.qute.Engine;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refusal of the API or billing, shown to the person as a page with the service's own words and status. */
public class RefusedMapper {

    private static final Logger LOG = Logger.getLogger(RefusedMapper.class);

    private final Engine engine;

    public RefusedMapper(Engine engine) {
        this.engine = engine;
    }

    /** A page of another role's: the person is signed in, but not for this. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException forbidden) {
        return page(403, "Not for your role", "this page belongs to another role than yours");
    }

    @ServerExceptionMapper
    public Response notFound(jakarta.ws.rs.NotFoundException notFound) {
        return page(404, "No such page", "there is no such page, or it is not yours to see");
    }

    @ServerExceptionMapper
    public Response refused(Backend.Refused refused) {
        LOG.debugf("a service refused: %d %s", refused.status(), refused.title());
        return page(refused.status() == 401 ? 403 : refused.status(), refused.title(), refused.getMessage());
    }

    private Response page(int status, String title, String detail) {
        String page = engine.getTemplate("error").data("status", status).data("title", title)
                .data("detail", detail).data("person", null).render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }
}
