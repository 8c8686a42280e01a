package kh.dds.console.http;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import kh.dds.console.session.Person;

/** Renders a page of the console: every page knows who is signed in (the menu shows that person's pages alone). */
@ApplicationScoped
public class Pages {

    private final Engine engine;

    public Pages(Engine engine) {
        this.engine = engine;
    }

    public TemplateInstance page(String template, Person person) {
        return engine.getTemplate(template).data("person", person);
    }
}
