package kh.dds.billing;

import static io.restassured.RestAssured.given;
import static kh.dds.billing.BillingTestSupport.client;
import static kh.dds.billing.BillingTestSupport.contract;
import static kh.dds.billing.BillingTestSupport.count;
import static kh.dds.billing.BillingTestSupport.metered;
import static kh.dds.billing.BillingTestSupport.record;
import static kh.dds.billing.BillingTestSupport.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.RawHttp;
import kh.dds.localstack.TopicContents;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** No record and no request can stop billing (SPEC §4 input rules). */
@QuarkusTest
@WithTestResource(BillingTestResource.class)
class BillingHostileInputTest {

    private static final String DEAD_LETTERS = "api.lookup-records.billing-dlq";

    /** Records no API writes, among good ones: the bad are dead-lettered with their reason, the good metered once. */
    @Test
    void theMeterSetsAsideWhatItCannotReadAndGoesOn() throws Exception {
        UUID contract = contract("Poisoned Stream Bank", null, LocalDate.of(2026, 1, 1));
        Instant now = Instant.now();
        LookupRecord first = record(contract, now, Product.VERIFY, true);
        LookupRecord last = record(contract, now, Product.VERIFY, true);
        String notJson = UUID.randomUUID().toString();
        String notAnId = UUID.randomUUID().toString();
        String wrongTypes = UUID.randomUUID().toString();
        String nul = UUID.randomUUID().toString();
        Map<String, byte[]> sent = new java.util.LinkedHashMap<>();
        sent.put(first.lookupId(), LedgerExport.JSON.writeValueAsBytes(first));
        sent.put(notJson, new byte[] {(byte) 0xff, 0, '{'});
        sent.put(notAnId, LedgerExport.JSON.writeValueAsBytes(new LookupRecord("'; DROP TABLE billing.usage_daily",
                now, contract.toString(), "cl", null, null, Product.VERIFY, null, "ANSWERED", "MATCH", List.of(),
                200, true, 1)));
        sent.put(wrongTypes, ("{\"lookupId\":42,\"occurredAt\":[],\"contractId\":{\"a\":1},\"product\":\"VERIFY\","
                + "\"billable\":\"yes\"}").getBytes(StandardCharsets.UTF_8));
        sent.put(nul, ("{\"lookupId\":\"" + UUID.randomUUID() + "\u0000\",\"occurredAt\":\"" + now + "\",\"contractId\":\""
                + contract + "\",\"product\":\"VERIFY\",\"billable\":true}").getBytes(StandardCharsets.UTF_8));
        sent.put(last.lookupId(), LedgerExport.JSON.writeValueAsBytes(last));
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.get().kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> record : sent.entrySet()) {
                // one partition, so that the good record after the bad ones shows that the meter went on past them
                producer.send(new ProducerRecord<>(BillingTestResource.TOPIC, 0, record.getKey(), record.getValue()))
                        .get();
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> metered(contract) == 2);
        assertEquals(2, count("SELECT count(*) FROM billing.metered_call WHERE contract_id = ?", contract));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertTrue(deadLetterKeys().containsAll(Set.of(notJson, notAnId, wrongTypes, nul)),
                        "parked: " + deadLetterKeys()));
    }

    /** Billing takes the API's access tokens only (RFC 9068 type), and none issued before a revocation or rotation. */
    @Test
    void onlyAccessTokensIssuedSinceTheClientsLastRevocationAreTaken() throws Exception {
        UUID contract = contract("Token Rules Bank", null, LocalDate.of(2026, 1, 1));
        String clientId = client(contract, "usage");
        String usage = "/v1/contracts/" + contract + "/usage?from=2026-12-01&to=2026-12-02";
        given().auth().oauth2(token(clientId, contract, "usage")).get(usage).then().statusCode(200);
        given().auth().oauth2(BillingTestSupport.typedToken("JWT", clientId, contract, "usage")).get(usage)
                .then().statusCode(401);
        BillingTestSupport.execute("UPDATE api.api_client SET tokens_valid_after = now() + interval '1 hour' "
                + "WHERE client_id = ?", clientId);
        given().auth().oauth2(token(clientId, contract, "usage")).get(usage).then().statusCode(401);
    }

    /** Every endpoint of billing, with hostile paths, parameters and credentials: never a server error. */
    @Test
    void hostileRequestsAreAnsweredWithoutAServerError() throws Exception {
        UUID contract = contract("Hostile Requests Bank", null, LocalDate.of(2026, 1, 1));
        String viewer = token(client(contract, "usage"), contract, "usage");
        String admin = token(client(null, "admin"), null, "admin");
        Arbitrary<String> hostile = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('A', '1', '-').ofMaxLength(12)
                        .map(BillingHostileInputTest::percent),
                Arbitraries.of("%00", "%", "%zz", "%c3%28", "%ed%a0%80", "2026-13-45", "99999-01-01", "-1", "month",
                        "2026-02-30", "0000-00-00", "2026-1-1", "%2e%2e%2f", "INV-2026-", "1e9"),
                Arbitraries.strings().withChars('9').ofMinLength(100).ofMaxLength(3_000),
                Arbitraries.strings().withCharRange('\u1780', '\u17ff').ofMaxLength(10).map(BillingHostileInputTest::percent));
        Arbitrary<String> who = Arbitraries.of("Bearer " + viewer, "Bearer " + admin, "Bearer x.y.z", "Basic %%%",
                "Bearer " + "a".repeat(5_000), "");
        Arbitrary<String> target = Combinators.combine(hostile, hostile, hostile, Arbitraries.of(
                contract.toString(), UUID.randomUUID().toString())).as((a, b, c, id) -> Arbitraries.of(
                "/v1/contracts/" + id + "/usage?from=" + a + "&to=" + b + "&granularity=" + c,
                "/v1/contracts/" + a + "/usage",
                "/v1/contracts/" + id + "/invoices?month=" + a,
                "/v1/contracts/" + id + "/invoices/" + a,
                "/v1/admin/reconciliation?date=" + a,
                "/v1/admin/invoices/close?month=" + a).sample());
        Map<Integer, Integer> statuses = new HashMap<>();
        List<String> targets = target.sampleStream().limit(1_000).toList();
        List<String> credentials = who.sampleStream().limit(1_000).toList();
        for (int i = 0; i < targets.size(); i++) {
            String path = targets.get(i);
            String method = path.startsWith("/v1/admin/invoices/close") ? "POST" : "GET";
            Map<String, String> headers = credentials.get(i).isEmpty() ? Map.of()
                    : Map.of("Authorization", credentials.get(i), "Accept", i % 3 == 0 ? "text/csv" : "application/json");
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, method, path, headers, null, null);
            statuses.merge(answer.status(), 1, Integer::sum);
            assertTrue(answer.status() < 500, method + " " + kh.dds.schema.text.SafeText.of(path, 120)
                    + " answered " + answer.status() + ": " + answer.body());
        }
        given().get("/q/health/live").then().statusCode(200);
        assertTrue(statuses.keySet().stream().anyMatch(status -> status == 200 || status == 404), "" + statuses);
    }

    private static String percent(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static Set<String> deadLetterKeys() {
        Set<String> keys = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicContents.all(LocalServices.get().kafkaBootstrapServers(), DEAD_LETTERS,
                Duration.ofSeconds(15))) {
            assertTrue(record.headers().lastHeader("dlq-reason") != null, "parked with its reason");
            keys.add(new String(record.key(), StandardCharsets.UTF_8));
        }
        return keys;
    }

}
