package kh.dds.api.nodes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.ServiceRole;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.event.Topics;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import kh.dds.schema.time.PhnomPenh;
import org.junit.jupiter.api.Test;

/**
 * A 200,000-line bulk job while the packaged API node working on it is SIGKILLed twice (SPEC §4.3: a node dying
 * mid-job leaves its chunks to another). Afterwards every line has exactly one result row, the ledger holds exactly
 * one record a line, and the month's quota and the day's billed count in the counters' Redis hold exactly the
 * billable lines — each reserved once, however many times its chunk was worked.
 */
class BulkCrashIT {

    private static final String DATABASE = "dds_bulk_crash_it";
    private static final String TOPIC = "it.bulk-crash.lookup-records";
    private static final int REDIS_DB = 5;
    private static final int LINES = 200_000;
    private static final int PERSONS = 2_000;

    private static long count(LocalServices services, String sql) throws Exception {
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private static void await(LocalServices services, String sql, long atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen;
        while ((seen = count(services, sql)) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sql + " gave " + seen + " < " + atLeast + " after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void everyLineOnceThoughItsNodeIsKilledTwice() throws Exception {
        LocalServices services = LocalServices.get();
        List<String> kidcs = replica(services);
        KafkaTopics.ensure(services.kafkaBootstrapServers(), List.of(TopicSpec.parse(TOPIC + ":4"),
                TopicSpec.parse(Topics.PERSON_CHANGES + ":4:cleanup.policy=compact")));
        services.redis();
        Map<String, String> settings = Map.of("API_AUDIT_TOPIC", TOPIC, "API_BULK_LEASE", "5s",
                "API_BULK_MAX_LINES_PER_SECOND", "50000");
        ApiProcess node = ApiProcess.start(services, DATABASE, REDIS_DB, settings);
        try {
            node.awaitReady(Duration.ofSeconds(90));
            String admin = token(node, "dds-admin", ApiProcess.ADMIN_SECRET);
            String contract = given().baseUri(node.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("organisation", "Ministry of Social Affairs", "kind", "MINISTRY",
                            "validFrom", "2026-01-01", "products", List.of("BULK_VERIFY"),
                            "purposes", List.of("SOCIAL_BENEFIT_ELIGIBILITY"), "rateLimitPerSecond", 100,
                            "operatorIdRequired", false))
                    .post("/v1/admin/contracts").then().statusCode(201).extract().path("id");
            var client = given().baseUri(node.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("scopes", List.of("bulk"))).post("/v1/admin/contracts/" + contract + "/clients")
                    .then().statusCode(201).extract();
            String ministry = token(node, client.path("clientId"), client.path("clientSecret"));
            String job = given().baseUri(node.url()).auth().oauth2(ministry).contentType("application/x-ndjson")
                    .queryParam("purpose", "SOCIAL_BENEFIT_ELIGIBILITY").body(upload(kidcs))
                    .post("/v1/bulk-verifications").then().statusCode(202).extract().path("id");
            String done = "SELECT coalesce(sum(line_count), 0) FROM api.bulk_chunk WHERE job_id = '" + job
                    + "' AND state = 'DONE'";

            await(services, done, 30_000, Duration.ofSeconds(240));
            node.kill();
            node = ApiProcess.start(services, DATABASE, REDIS_DB, settings);
            node.awaitReady(Duration.ofSeconds(90));
            long afterFirst = count(services, done);
            await(services, done, afterFirst + 30_000, Duration.ofSeconds(240));
            node.kill();
            node = ApiProcess.start(services, DATABASE, REDIS_DB, settings);
            node.awaitReady(Duration.ofSeconds(90));
            await(services, "SELECT count(*) FROM api.bulk_job WHERE id = '" + job + "' AND status = 'COMPLETED'",
                    1, Duration.ofSeconds(600));

            String lines = " FROM api.bulk_line WHERE job_id = '" + job + "'";
            assertEquals(LINES, count(services, "SELECT count(*)" + lines + " AND result IS NOT NULL"),
                    "one result row a line");
            assertEquals(LINES, count(services, "SELECT count(DISTINCT lookup_id)" + lines));
            String ledger = " FROM audit.lookup_record WHERE detail LIKE 'job=" + job + "&line=%'";
            await(services, "SELECT count(DISTINCT lookup_id)" + ledger, LINES, Duration.ofSeconds(300));
            Thread.sleep(2_000);
            assertEquals(LINES, count(services, "SELECT count(*)" + ledger), "one ledger entry a line");
            long billable = count(services, "SELECT count(*)" + lines + " AND billable");
            assertEquals(billable, count(services, "SELECT count(*)" + ledger + " AND billable"));
            assertEquals(LINES - 1_000, billable, "every line but the malformed ones billable");
            assertEquals(billable, counter(services, "dds:quota:" + contract + ":" + PhnomPenh.month(Instant.now())),
                    "the quota reserved once a line");
        } finally {
            node.close();
        }
    }

    private static String token(ApiProcess node, String clientId, String secret) {
        return given().baseUri(node.url()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** 200,000 lines: persons of the replica matched or not by name, one in 200 with a malformed KIdC. */
    private static byte[] upload(List<String> kidcs) {
        StringBuilder out = new StringBuilder(LINES * 90);
        for (int i = 0; i < LINES; i++) {
            String kidc = i % 200 == 7 ? "12345" : kidcs.get(i % kidcs.size());
            out.append("{\"kidc\":\"").append(kidc).append("\",\"reference\":\"r-").append(i)
                    .append("\",\"claims\":{\"familyName\":\"").append(i % 3 == 0 ? "CHAN" : "KEO")
                    .append("\"}}\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> replica(LocalServices services) throws Exception {
        services.postgres().ensureDatabase(DATABASE);
        List<String> kidcs = new ArrayList<>();
        Random random = new Random(17);
        for (int i = 0; i < PERSONS; i++) {
            kidcs.add(Kidc.random(random, KidcKind.CITIZEN).value());
        }
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement();
             InputStream in = BulkCrashIT.class.getResourceAsStream("/db/replica/V1__replica.sql")) {
            statement.execute("DROP SCHEMA IF EXISTS replica CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS api CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS audit CASCADE");
            services.postgres().ensureRoles(DATABASE);
            statement.execute("SET ROLE " + ServiceRole.REPLICA.roleName());
            statement.execute("SET search_path TO replica");
            statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO replica.person (kidc, version, status, sex, record, last_event_at) VALUES (?, 1,
                    'ACTIVE', 'F', '{"familyNameLatin":"KEO","givenNameLatin":"SOPHEA","familyNameKh":"កែវ",
                    "givenNameKh":"សុភា","sex":"F","dateOfBirth":"1985-02-03","address":{"province":"01"}}', now())
                    ON CONFLICT DO NOTHING""")) {
                for (String kidc : kidcs) {
                    insert.setString(1, kidc);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        return kidcs;
    }

    /** A counter of the counters' Redis, read with one inline command (the test has no Redis client of its own). */
    private static long counter(LocalServices services, String key) throws Exception {
        URI url = URI.create(services.countersRedisUrl(REDIS_DB));
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("SELECT " + REDIS_DB + "\r\nGET " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            in.readLine(); // +OK
            String length = in.readLine();
            return length.startsWith("$-1") ? 0 : Long.parseLong(in.readLine());
        }
    }
}
