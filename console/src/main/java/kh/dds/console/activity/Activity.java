package kh.dds.console.activity;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import kh.dds.console.ConsoleConfig;
import kh.dds.console.http.Backend;
import kh.dds.console.session.Person;

/**
 * Every action a person takes in the console, recorded by the API ({@code POST /v1/audit/console-activity}) with the
 * person's own token: who is the token's, never the console's say; when is the API's clock. A change is recorded
 * before it is made ({@code requested}) and again with its outcome, so that a change whose record failed is never
 * made; a search or a view is recorded with what was asked. Auditors read them on the activity page.
 */
@ApplicationScoped
public class Activity {

    private final Backend backend;
    private final String url;

    public Activity(Backend backend, ConsoleConfig config) {
        this.backend = backend;
        this.url = config.apiUrl() + "/v1/audit/console-activity";
    }

    /** Records the action; fails (and so stops the action) when the API cannot record it. */
    public void record(Person person, String action, String target, String outcome) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("action", action);
        body.put("target", target == null || target.isBlank() ? null : clip(target));
        body.put("outcome", outcome);
        backend.send(person, "POST", url, body);
    }

    private static String clip(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200);
    }
}
