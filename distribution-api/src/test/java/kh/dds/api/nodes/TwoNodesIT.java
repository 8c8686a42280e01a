package kh.dds.api.nodes;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.ServiceRole;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.event.Topics;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of the packaged API, sharing PostgreSQL, Redis and Kafka as a deployment does: the monthly quota and the
 * rate limit hold across both, and a suspension or a revocation made through one node is refused by the other within
 * seconds ({@code api.access.refresh}).
 */
class TwoNodesIT {

    private static final String DATABASE = "dds_api_nodes_it";
    private static final int REDIS_DB = 3;
    private static ApiProcess first;
    private static ApiProcess second;
    private static String kidc;

    @BeforeAll
    static void nodes() throws Exception {
        LocalServices services = LocalServices.get();
        services.postgres().ensureDatabase(DATABASE);
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement();
             InputStream in = TwoNodesIT.class.getResourceAsStream("/db/replica/V1__replica.sql")) {
            statement.execute("DROP SCHEMA IF EXISTS replica CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS api CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS audit CASCADE");
            // the schemas again, each owned by its service's role; the read model made as the replica's role
            services.postgres().ensureRoles(DATABASE);
            statement.execute("SET ROLE " + ServiceRole.REPLICA.roleName());
            statement.execute("SET search_path TO replica");
            statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            kidc = Kidc.random(new java.util.Random(), KidcKind.CITIZEN).value();
            statement.execute("""
                    INSERT INTO replica.person (kidc, version, status, sex, record, last_event_at) VALUES ('%s', 1,
                    'ACTIVE', 'F', '{"familyNameLatin":"KEO","givenNameLatin":"SOPHEA","familyNameKh":"កែវ",
                    "givenNameKh":"សុភា","sex":"F","dateOfBirth":"1985-02-03","address":{"province":"01"}}', now())"""
                    .formatted(kidc));
        }
        KafkaTopics.ensure(services.kafkaBootstrapServers(), List.of(
                TopicSpec.parse(Topics.PERSON_CHANGES + ":4:cleanup.policy=compact"),
                TopicSpec.parse(Topics.LOOKUP_RECORDS + ":4")));
        services.redis();
        // the first node migrates the api schema; the second starts on it
        first = ApiProcess.start(services, DATABASE, REDIS_DB);
        first.awaitReady(Duration.ofSeconds(90));
        second = ApiProcess.start(services, DATABASE, REDIS_DB);
        second.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    private static String token(ApiProcess node, String clientId, String secret) {
        return given().baseUri(node.url()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** A contract created through {@code node}, and a token of a client of it. */
    private static String[] bank(ApiProcess node, Map<String, Object> limits) {
        String admin = token(node, "dds-admin", ApiProcess.ADMIN_SECRET);
        Map<String, Object> terms = new java.util.HashMap<>(Map.of("organisation", "Two Nodes Bank", "kind", "BANK",
                "validFrom", "2026-01-01", "products", List.of("VERIFY"), "purposes", List.of("KYC_ACCOUNT_OPENING"),
                "rateLimitPerSecond", 1000, "operatorIdRequired", false));
        terms.putAll(limits);
        String contract = given().baseUri(node.url()).auth().oauth2(admin).contentType(ContentType.JSON).body(terms)
                .post("/v1/admin/contracts").then().statusCode(201).extract().path("id");
        Response client = given().baseUri(node.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("scopes", List.of("verify"))).post("/v1/admin/contracts/" + contract + "/clients");
        String clientId = client.path("clientId");
        return new String[] {contract, clientId, token(node, clientId, client.path("clientSecret")), admin};
    }

    private static int verify(ApiProcess node, String token) {
        return given().baseUri(node.url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\",\"claims\":{\"familyName\":\"KEO\"}}")
                .post("/v1/verifications").statusCode();
    }

    @Test
    void theMonthlyQuotaHoldsAcrossBothNodes() {
        String[] bank = bank(first, Map.of("monthlyQuota", 10));
        int answered = 0;
        int overQuota = 0;
        for (int i = 0; i < 16; i++) {
            int status = verify(i % 2 == 0 ? first : second, bank[2]);
            if (status == 200) {
                answered++;
            } else if (status == 429) {
                overQuota++;
            }
        }
        assertEquals(10, answered, "exactly the quota, though each node alone saw only half the calls");
        assertEquals(6, overQuota);
    }

    @Test
    void theRateLimitHoldsAcrossBothNodes() throws Exception {
        String[] bank = bank(first, Map.of("rateLimitPerSecond", 5));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long startSecond = Instant.now().getEpochSecond();
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ApiProcess node = i % 2 == 0 ? first : second;
                calls.add(pool.submit(() -> verify(node, bank[2])));
            }
            int answered = 0;
            for (Future<Integer> call : calls) {
                answered += call.get() == 200 ? 1 : 0;
            }
            long windows = Instant.now().getEpochSecond() - startSecond + 1;
            assertTrue(answered >= 1);
            assertTrue(answered <= 5 * windows, answered + " calls answered in " + windows
                    + " one-second windows at a shared limit of 5 a second");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSuspensionAndARevocationThroughOneNodeAreRefusedByTheOtherWithinSeconds() {
        String[] bank = bank(first, Map.of());
        assertEquals(200, verify(second, bank[2]));
        given().baseUri(first.url()).auth().oauth2(bank[3]).contentType(ContentType.JSON)
                .body(Map.of("status", "SUSPENDED")).patch("/v1/admin/contracts/" + bank[0]).then().statusCode(200);
        assertEquals(403, verify(first, bank[2]), "at once on the node that made the change");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> verify(second, bank[2]) == 403);

        String[] other = bank(first, Map.of());
        assertEquals(200, verify(second, other[2]));
        given().baseUri(first.url()).auth().oauth2(other[3]).delete("/v1/admin/clients/" + other[1])
                .then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> verify(second, other[2]) == 401);
    }
}
