package kh.dds.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few administrative changes the local run and the tests make to the realm through Keycloak's admin REST API,
 * as its bootstrap administrator: binding a person or a relying party's service account to a contract (the user
 * attribute {@code contract_id}, which the realm maps into the {@code contract_id} claim), and fetching a client
 * credentials token.
 */
public final class KeycloakRealm {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String realm;
    private final String adminPassword;

    KeycloakRealm(String baseUrl, String realm, String adminPassword) {
        this.baseUrl = baseUrl;
        this.realm = realm;
        this.adminPassword = adminPassword;
    }

    /** Binds {@code username} (a person, or {@code service-account-<client>}) to the contract {@code contractId}. */
    public void bindContract(String username, String contractId) {
        setUserAttribute(username, "contract_id", contractId);
    }

    /** Sets one attribute of a user (its other attributes kept). */
    public void setUserAttribute(String username, String attribute, String value) {
        String token = adminToken();
        String users = baseUrl + "/admin/realms/" + realm + "/users";
        JsonNode found = send(HttpRequest.newBuilder(URI.create(users + "?exact=true&briefRepresentation=false&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token)
                .GET(), 200);
        if (!found.isArray() || found.isEmpty()) {
            throw new IllegalStateException("no user " + username + " in the realm " + realm);
        }
        ObjectNode user = (ObjectNode) found.get(0);
        ObjectNode attributes = user.has("attributes") && user.get("attributes").isObject()
                ? (ObjectNode) user.get("attributes") : user.putObject("attributes");
        ArrayNode values = attributes.putArray(attribute);
        values.add(value);
        send(HttpRequest.newBuilder(URI.create(users + "/" + user.get("id").asText()))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(user.toString())), 204);
    }

    /** A client-credentials access token of the realm for {@code clientId}, with {@code scope}. */
    public String clientCredentialsToken(String clientId, String secret, String scope) {
        JsonNode answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "client_credentials", "client_id",
                        clientId, "client_secret", secret, "scope", scope))), 200);
        return answer.get("access_token").asText();
    }

    private String adminToken() {
        JsonNode answer = send(HttpRequest.newBuilder(URI.create(baseUrl
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "password", "client_id", "admin-cli",
                        "username", "admin", "password", adminPassword))), 200);
        return answer.get("access_token").asText();
    }

    private static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    private static JsonNode send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("Keycloak answered " + response.statusCode() + " to "
                        + response.request().method() + " " + response.request().uri().getPath() + ": "
                        + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
