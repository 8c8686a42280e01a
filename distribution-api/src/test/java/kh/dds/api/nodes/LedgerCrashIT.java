package kh.dds.api.nodes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import kh.dds.api.call.LookupIds;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.event.Topics;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The ledger writer killed in the middle of its batches: a packaged API node consumes 30,000 lookup records into
 * the ledger and is SIGKILLed twice on the way; afterwards the ledger holds each record exactly once, every lane's
 * chain has no gap, and the integrity check passes end to end.
 */
class LedgerCrashIT {

    private static final String DATABASE = "dds_ledger_crash_it";
    private static final String TOPIC = "it.ledger-crash.lookup-records";
    private static final int RECORDS = 30_000;

    private static long count(LocalServices services, String sql) throws Exception {
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private static void awaitLedger(LocalServices services, ApiProcess node, long atLeast, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(services, "SELECT count(*) FROM audit.lookup_record") < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the ledger holds fewer than " + atLeast + " records after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aKilledWriterLosesNothingAndDoublesNothing() throws Exception {
        LocalServices services = LocalServices.get();
        services.postgres().ensureDatabase(DATABASE);
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS api CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS audit CASCADE");
        }
        KafkaTopics.ensure(services.kafkaBootstrapServers(), List.of(TopicSpec.parse(TOPIC + ":4"),
                TopicSpec.parse(Topics.PERSON_CHANGES + ":4:cleanup.policy=compact")));
        publish(services.kafkaBootstrapServers());

        Map<String, String> settings = Map.of("API_AUDIT_TOPIC", TOPIC,
                "MP_MESSAGING_INCOMING_LOOKUP_RECORDS_MAX_POLL_RECORDS", "500");
        ApiProcess node = ApiProcess.start(services, DATABASE, 4, settings);
        try {
            node.awaitReady(Duration.ofSeconds(90));
            awaitLedger(services, node, 5_000, Duration.ofSeconds(120));
            node.kill();
            long afterFirstKill = count(services, "SELECT count(*) FROM audit.lookup_record");

            node = ApiProcess.start(services, DATABASE, 4, settings);
            node.awaitReady(Duration.ofSeconds(90));
            awaitLedger(services, node, Math.max(afterFirstKill + 5_000, 15_000), Duration.ofSeconds(120));
            node.kill();

            node = ApiProcess.start(services, DATABASE, 4, settings);
            node.awaitReady(Duration.ofSeconds(90));
            awaitLedger(services, node, RECORDS, Duration.ofSeconds(180));
            Thread.sleep(2_000);

            assertEquals(RECORDS, count(services, "SELECT count(*) FROM audit.lookup_record"), "nothing doubled");
            assertEquals(RECORDS, count(services, "SELECT count(DISTINCT lookup_id) FROM audit.lookup_record"),
                    "nothing lost");
            assertEquals(RECORDS, count(services, "SELECT sum(seq) FROM audit.lane"), "every lane without a gap");
            assertEquals(0, count(services, """
                    SELECT count(*) FROM (SELECT lane, seq FROM audit.lookup_record GROUP BY lane, seq
                    HAVING count(*) > 1) twice"""));

            String token = given().baseUri(node.url()).contentType(ContentType.URLENC)
                    .formParam("grant_type", "client_credentials").formParam("client_id", "dds-admin")
                    .formParam("client_secret", ApiProcess.ADMIN_SECRET).post("/oauth/token")
                    .then().statusCode(200).extract().path("access_token");
            given().baseUri(node.url()).auth().oauth2(token).post("/v1/audit/checkpoints").then().statusCode(200);
            JsonNode report = given().baseUri(node.url()).auth().oauth2(token).get("/v1/audit/integrity")
                    .then().statusCode(200).extract().as(JsonNode.class);
            assertTrue(report.path("intact").asBoolean(), report.toString());
            assertEquals(RECORDS, report.path("entries").asLong());
        } finally {
            node.close();
        }
    }

    private static void publish(String bootstrapServers) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        String contract = UUID.randomUUID().toString();
        Instant start = Instant.now().minusSeconds(3_600);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                Instant at = start.plusMillis(i);
                LookupRecord record = new LookupRecord(LookupIds.next(at.toEpochMilli()).toString(), at, contract,
                        "cl-crash", "teller-" + (i % 50), "KYC_ACCOUNT_OPENING", Product.VERIFY, "1000000028",
                        "ANSWERED", "MATCH", List.of(), 200, true, 1000);
                producer.send(new ProducerRecord<>(TOPIC, record.lookupId(),
                        LedgerExport.JSON.writeValueAsBytes(record)));
            }
            producer.flush();
        }
    }
}
