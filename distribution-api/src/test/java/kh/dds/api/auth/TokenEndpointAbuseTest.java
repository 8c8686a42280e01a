package kh.dds.api.auth;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.party;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /oauth/token} against floods and garbage: failed attempts limited per client id and per source address
 * (other clients and addresses unaffected), every malformed credential or body answered {@code 400}/{@code 401} as
 * RFC 6749 says and never {@code 500}, and secrets stored under the old PBKDF2 hash still accepted (and re-hashed).
 * Source addresses are set with {@code X-Forwarded-For}, which the test configuration trusts.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class TokenEndpointAbuseTest {

    /** As the test configuration sets them (api.token.attempts.*). */
    private static final int PER_CLIENT = 10;
    private static final int PER_ADDRESS = 50;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** An address of the documentation ranges (RFC 5737), a new one for each use: only ever a header value. */
    private static String address() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.51." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.URLENC);
    }

    private static Response attempt(String address, String clientId, String secret) {
        return from(address).formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token");
    }

    @Test
    void aFloodOfWrongSecretsForOneClientIdIsRefusedBeyondTheLimitAndOtherClientsAreServed() throws Exception {
        Party victim = party(Map.of());
        Party other = party(Map.of());
        for (int i = 0; i < PER_CLIENT; i++) {
            attempt(address(), victim.clientId(), "wrong-" + i).then().statusCode(401)
                    .body("error", equalTo("invalid_client"));
        }
        Response limited = attempt(address(), victim.clientId(), "wrong-again");
        limited.then().statusCode(429).contentType(ContentType.JSON).body("error", equalTo("too_many_attempts"))
                .header("Retry-After", notNullValue()).header("Cache-Control", "no-store");
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After within the window: " + retryAfter);
        // the right secret too, from anywhere, until the window ends: otherwise the limit would not limit guessing
        attempt(address(), victim.clientId(), victim.clientSecret()).then().statusCode(429);
        // another client, even from an address the flood used, is served
        String flooder = address();
        attempt(flooder, victim.clientId(), "wrong").then().statusCode(429);
        attempt(flooder, other.clientId(), other.clientSecret()).then().statusCode(200);
        // the victim's token issued before the flood still works
        given().auth().oauth2(victim.token()).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + activePerson() + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}")
                .post("/v1/verifications").then().statusCode(200);
    }

    @Test
    void aFloodFromOneAddressIsRefusedBeyondTheLimitWhateverTheClientIds() {
        Party bank = party(Map.of());
        String flooder = address();
        int refused = 0;
        for (int i = 0; i < PER_ADDRESS + 5; i++) {
            int status = attempt(flooder, "cl-guess-" + i, "guess-" + i).statusCode();
            if (status == 429) {
                refused++;
            } else {
                assertEquals(401, status, "attempt " + i);
            }
        }
        assertEquals(5, refused, "every attempt beyond " + PER_ADDRESS + " failures from the address is refused");
        // that address gets nothing, not even for a real client; any other address does
        attempt(flooder, bank.clientId(), bank.clientSecret()).then().statusCode(429)
                .body("error", equalTo("too_many_attempts"));
        attempt(address(), bank.clientId(), bank.clientSecret()).then().statusCode(200);
    }

    @Test
    void malformedBasicCredentialsAreInvalidClientNeverAFailure() {
        String wellFormed = Base64.getEncoder().encodeToString("cl-x:secret".getBytes(StandardCharsets.UTF_8));
        List<String> headers = List.of(
                "Basic !!!not-base64!!!",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString("cl-x\u0000:secret".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString("cl-x:sec\u0007ret".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {'c', ':', (byte) 0xc3, (byte) 0x28}),
                "Basic " + Base64.getEncoder().encodeToString("cl-%zz:secret".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString("cl-x:%".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString(":".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString(("cl-" + "x".repeat(200) + ":s")
                        .getBytes(StandardCharsets.UTF_8)),
                "Basic " + "A".repeat(2000),
                "Basic ",
                "Basic " + wellFormed.substring(0, wellFormed.length() - 2));
        for (String header : headers) {
            from(address()).header("Authorization", header).formParam("grant_type", "client_credentials")
                    .post("/oauth/token").then().statusCode(401).contentType(ContentType.JSON)
                    .body("error", equalTo("invalid_client")).header("WWW-Authenticate", notNullValue());
        }
        // beyond the HTTP server's own header limit (8 KiB) the request never reaches the endpoint: refused all the same
        int status = from(address()).header("Authorization", "Basic " + "A".repeat(20_000))
                .formParam("grant_type", "client_credentials").post("/oauth/token").statusCode();
        assertTrue(status >= 400 && status < 500, "a 20 kB Authorization header answered " + status);
    }

    @Test
    void generatedAuthorizationHeadersAndBodiesNeverFailTheEndpoint() {
        Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(300)
                .withCharRange('\u0020', '\u007e').withChars('%', ':', '+', '=', '&', '\u00e9', '\u1780');
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        garbage.sampleStream().limit(60).forEach(value -> {
            String basic = "Basic " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            int status = from(address()).header("Authorization", basic)
                    .formParam("grant_type", "client_credentials").post("/oauth/token").statusCode();
            assertTrue(status == 401 || status == 400, "Basic '" + value + "' answered " + status);
            int bodyStatus = rawPost(value.getBytes(StandardCharsets.UTF_8));
            assertTrue(bodyStatus == 400 || bodyStatus == 401, "body '" + value + "' answered " + bodyStatus);
        });
        bytes.sampleStream().limit(60).forEach(value -> {
            int status = rawPost(value);
            assertTrue(status == 400 || status == 401, "a body of " + value.length + " random bytes answered "
                    + status);
        });
    }

    /** A body of any bytes, declared as a form (REST Assured encodes form bodies itself). */
    private static int rawPost(byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", address())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedFormBodiesAreInvalidRequest() {
        for (String body : List.of(
                "grant_type=client_credentials&client_id=%zz&client_secret=x",
                "grant_type=client_credentials&client_id=a&client_id=b&client_secret=x",
                "grant_type=client_credentials&client_id=a&client_secret=%C3%28",
                "client_id=a&client_secret=b",
                "grant_type=client_credentials&client_secret=" + "s".repeat(5000))) {
            from(address()).body(body).post("/oauth/token").then().statusCode(400).contentType(ContentType.JSON)
                    .body("error", equalTo("invalid_request"));
        }
        from(address()).body("grant_type=password&username=a&password=b").post("/oauth/token").then()
                .statusCode(400).body("error", equalTo("unsupported_grant_type"));
        from(address()).body("grant_type=client_credentials&client_id=a&client_secret=b&scope=verify%00")
                .post("/oauth/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
        from(address()).body("grant_type=client_credentials").post("/oauth/token").then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void theOpenApiDocumentTellsIntegratorsOfTheLimits() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/oauth/token'.post.responses.'429'.description", startsWith("too_many_attempts"))
                .body("paths.'/oauth/token'.post.responses.'503'.description", startsWith("temporarily_unavailable"))
                .body("paths.'/oauth/token'.post.requestBody.content.'application/x-www-form-urlencoded'.schema",
                        notNullValue())
                .body("paths.'/v1/admin/clients/{clientId}/rotate'.post.parameters.name", hasItem("overlap"));
    }

    @Test
    void credentialsInTheHeaderAndTheBodyAtOnceAreRefused() {
        Party bank = party(Map.of());
        String basic = Base64.getEncoder().encodeToString((bank.clientId() + ":" + bank.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        from(address()).header("Authorization", "Basic " + basic).formParam("grant_type", "client_credentials")
                .post("/oauth/token").then().statusCode(200).body("token_type", equalTo("Bearer"));
        from(address()).header("Authorization", "Basic " + basic).formParam("grant_type", "client_credentials")
                .formParam("client_secret", bank.clientSecret()).post("/oauth/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        from(address()).header("Authorization", "Basic " + basic).formParam("grant_type", "client_credentials")
                .formParam("client_id", "cl-someone-else").post("/oauth/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aSecretStoredUnderTheLegacyPbkdf2HashIsAcceptedAndReHashed() throws Exception {
        Party bank = party(Map.of());
        String secret = "legacy-secret-" + ThreadLocalRandom.current().nextInt(1_000_000);
        writeHash(bank.clientId(), pbkdf2(secret, 1000));

        attempt(address(), bank.clientId(), "not-" + secret).then().statusCode(401);
        attempt(address(), bank.clientId(), secret).then().statusCode(200).body("access_token", notNullValue());
        assertTrue(storedHash(bank.clientId()).startsWith("hmac-sha256$"), "re-hashed with the keyed hash on use");
        attempt(address(), bank.clientId(), secret).then().statusCode(200);
        attempt(address(), bank.clientId(), "not-" + secret).then().statusCode(401);
    }

    /** {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, base64url, as secrets were stored before. */
    private static String pbkdf2(String secret, int iterations) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(secret.toCharArray(), salt, iterations, 256)).getEncoded();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + encoder.encodeToString(salt) + "$" + encoder.encodeToString(hash);
    }

    private static void writeHash(String clientId, String hash) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE api.api_client SET secret_hash = ? WHERE client_id = ?")) {
            update.setString(1, hash);
            update.setString(2, clientId);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static String storedHash(String clientId) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT secret_hash FROM api.api_client WHERE client_id = ?")) {
            query.setString(1, clientId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }
}
