package kh.dds.console.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import kh.dds.console.session.Person;

/**
 * Calls to the API and billing on behalf of the signed-in person, with the person's own access token: the services
 * decide what the person may do (scopes, contract), the console only shows it. Blocking, on a worker thread: a page
 * waits for its data anyway.
 */
@ApplicationScoped
public class Backend {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;

    public Backend(ObjectMapper json) {
        this.json = json;
    }

    /** GET, answered with JSON; a refusal becomes a {@link Refused}. */
    public JsonNode get(Person person, String base, String path, Map<String, String> query) {
        return send(person, "GET", base + path + query(query), null);
    }

    /** GET of a text body (CSV, NDJSON), streamed to the person's browser. */
    public InputStream stream(Person person, String base, String path, Map<String, String> query, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path + query(query))).timeout(TIMEOUT)
                .header("Authorization", person.bearer()).header("Accept", accept).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                byte[] body = response.body().readAllBytes();
                throw refused(response.statusCode(), new String(body, StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new Refused(503, "The service did not answer", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "Interrupted", e.getMessage());
        }
    }

    /** A call with a JSON body (or none). */
    public JsonNode send(Person person, String method, String url, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Authorization", person.bearer()).header("Accept", "application/json")
                .header("Content-Type", "application/json").method(method, publisher).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw refused(response.statusCode(), response.body());
            }
            return response.body() == null || response.body().isBlank() ? json.nullNode()
                    : json.readTree(response.body());
        } catch (IOException e) {
            throw new Refused(503, "The service did not answer", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "Interrupted", e.getMessage());
        }
    }

    /** JSON as plain maps and lists, which templates read. */
    public Object plain(JsonNode node) {
        return json.convertValue(node, Object.class);
    }

    private Refused refused(int status, String body) {
        String title = "Refused";
        String detail = "";
        try {
            JsonNode problem = json.readTree(body);
            title = problem.path("title").asText(title);
            detail = problem.path("detail").asText("");
        } catch (IOException | RuntimeException notJson) {
            // a body that is not a problem: the status says enough
        }
        return new Refused(status, title, detail);
    }

    private static String query(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        new LinkedHashMap<>(query).forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                joined.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value.strip(), StandardCharsets.UTF_8));
            }
        });
        return joined.length() == 1 ? "" : joined.toString();
    }

    /** A service refused the call (or did not answer): its status and its problem's words. */
    public static final class Refused extends RuntimeException {

        private final int status;
        private final String title;

        public Refused(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }
    }
}
