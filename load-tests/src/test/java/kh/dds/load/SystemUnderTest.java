package kh.dds.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The system a load test drives, as {@code bin/dds-up} left it: the API's and billing's addresses and the
 * administrator's client from {@code .local/credentials.env} (looked for from the working directory up, or given by
 * {@code -Dcredentials}), each overridable by a system property; and the few plain HTTP calls a simulation makes
 * outside its measured load (tokens, administration, checks).
 */
final class SystemUnderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path root = projectRoot();
    private final Map<String, String> credentials = credentials(root);
    final String apiUrl = setting("apiUrl", "DDS_API_URL", "http://127.0.0.1:8080");
    final String billingUrl = setting("billingUrl", "DDS_BILLING_URL", "http://127.0.0.1:8082");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A system property, else the variable of {@code .local/credentials.env}, else {@code fallback}. */
    String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = credentials.get(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    String adminToken() {
        String id = setting("adminClientId", "DDS_ADMIN_CLIENT_ID", null);
        String secret = setting("adminClientSecret", "DDS_ADMIN_CLIENT_SECRET", null);
        if (id == null || secret == null) {
            throw new IllegalStateException("no administrator client: run bin/dds-up (it writes "
                    + ".local/credentials.env) or give -DadminClientId and -DadminClientSecret");
        }
        return token(id, secret);
    }

    /**
     * A client-credentials access token from the API's token endpoint, asked again each second for up to 30 s while
     * it is refused (an overloaded node sheds the token endpoint too, with {@code 503} and {@code Retry-After: 1}):
     * the renewals run a minute before the tokens expire, so one refusal must not leave a party without a token.
     */
    String token(String clientId, String clientSecret) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            try {
                return tokenOnce(clientId, clientSecret);
            } catch (RuntimeException e) {
                last = e;
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    private String tokenOnce(String clientId, String clientSecret) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/oauth/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        JsonNode answer = send(request, 200);
        return answer.path("access_token").asText();
    }

    JsonNode post(String url, String bearer, Object body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json");
            request.POST(body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            return send(request.build(), expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode get(String url, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json").GET().build(), 200);
    }

    private JsonNode send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The directory holding {@code .local/}, from the working directory up (Gatling runs in load-tests/). */
    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".local"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    private static Map<String, String> credentials(Path root) {
        Path file = Path.of(System.getProperty("credentials", root.resolve(".local/credentials.env").toString()));
        Map<String, String> values = new HashMap<>();
        if (!Files.isReadable(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (!line.startsWith("#") && equals > 0) {
                    values.put(line.substring(0, equals).strip(), unquote(line.substring(equals + 1).strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
