package kh.dds.api;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.party;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.api.audit.ledger.LookupRecordConsumer;
import kh.dds.api.call.LookupIds;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.localstack.RawHttp;
import kh.dds.localstack.TopicContents;
import kh.dds.schema.event.Topics;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.text.SafeText;
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

/**
 * No input can stop the service (SPEC §4 input rules, issue "No request can stop the service"): what a hostile caller
 * sends is refused with a {@code 400}-class problem and audited in a safe form, the audit ledger holds every record
 * (or quarantines what it cannot hold) and stays intact, and the node stays in service throughout.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class HostileInputTest {

    private static final String PURPOSE = "KYC_ACCOUNT_OPENING";

    private static RequestSpecification as(Party party) {
        return given().auth().oauth2(party.token()).header("X-Operator-Id", "teller-1");
    }

    @Test
    void aNulPurposeIsRefusedAndItsRecordReachesTheLedgerInASafeForm() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        Response refused = as(bank).urlEncodingEnabled(false).get("/v1/persons/" + kidc + "?purpose=%00");
        refused.then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        String lookupId = refused.header("Lookup-Id");

        JsonNode record = ApiTestSupport.lookupRecord(lookupId);
        assertEquals("REFUSED", record.path("outcome").asText());
        assertEquals(SafeText.of("\u0000", LookupRecord.MAX_PURPOSE), record.path("purpose").asText(),
                "the purpose as sent, escaped, with the digest of the original");

        awaitInLedger(Set.of(lookupId));
        as(bank).get("/v1/persons/" + kidc + "?purpose=" + PURPOSE).then().statusCode(200);
        assertIntact();
    }

    @Test
    void aHugeNameIsRefusedBeforeAnyMatching() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        // beyond the endpoint's body limit: refused by its declared length, nothing read
        as(bank).contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"" + PURPOSE + "\",\"claims\":{\"familyName\":\""
                        + "S".repeat(2 * 1024 * 1024) + "\"}}")
                .post("/v1/verifications").then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://dds.gov.kh/problems/payload-too-large"));
        // within it, but longer than any name: a 400 before the matcher sees it
        Response tooLong = as(bank).contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"" + PURPOSE + "\",\"claims\":{\"familyName\":\""
                        + "S".repeat(10_000) + "\"}}")
                .post("/v1/verifications");
        tooLong.then().statusCode(400).body("type", equalTo("https://dds.gov.kh/problems/invalid-request"))
                .body("detail", equalTo("claims.familyName: longer than 200 characters"));
        assertEquals("REFUSED", ApiTestSupport.lookupRecord(tooLong.header("Lookup-Id")).path("outcome").asText());
    }

    @Test
    void aKidcSentAsAJsonNumberIsInvalid() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        as(bank).contentType(ContentType.JSON)
                .body("{\"kidc\":" + kidc + ",\"purpose\":\"" + PURPOSE + "\",\"claims\":{\"familyName\":\"SOK\"}}")
                .post("/v1/verifications").then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-kidc"));
        // and no other field takes a value of another JSON type either
        as(bank).contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"" + PURPOSE + "\",\"conditions\":{\"ageAtLeast\":\"18\"}}")
                .post("/v1/verifications").then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        as(bank).contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"" + PURPOSE + "\",\"conditions\":{\"ageAtLeast\":17.9}}")
                .post("/v1/verifications").then().statusCode(400);
    }

    /** A refused call costs a durable record as an answered one does: it counts against the contract's rate. */
    @Test
    void refusedCallsCountInTheRateWindow() throws Exception {
        Party bank = party(Map.of("rateLimitPerSecond", 3));
        String kidc = activePerson();
        Map<Integer, Integer> statuses = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            Response refused = as(bank).urlEncodingEnabled(false).get("/v1/persons/" + kidc + "?purpose=%01");
            statuses.merge(refused.statusCode(), 1, Integer::sum);
            if (refused.statusCode() == 429) {
                assertEquals("1", refused.header("Retry-After"));
                assertEquals("https://dds.gov.kh/problems/rate-limited", refused.jsonPath().getString("type"));
            }
        }
        // twelve calls within at most a few one-second windows of three: most are beyond the limit
        assertTrue(statuses.getOrDefault(429, 0) >= 3, "refused calls were rate-limited: " + statuses);
        assertEquals(12, statuses.getOrDefault(429, 0) + statuses.getOrDefault(400, 0), "" + statuses);
    }

    @Test
    void aCallerWithoutTheAdminScopeIsForbiddenWhateverItsBodyHolds() {
        Party bank = party(Map.of());
        for (String body : List.of("{\"organisation\":42}", "{", "[]", "{\"products\":[\"\u0000\"]}")) {
            as(bank).contentType(ContentType.JSON).body(body).post("/v1/admin/contracts").then().statusCode(403);
        }
    }

    /**
     * Thousands of requests drawn by jqwik from the classes of hostile input, against every endpoint a relying party
     * or an outsider reaches (verification, lookup, token, bulk, statistics, subscriptions, webhook, notifications):
     * no answer is a 5xx but the documented 503s, every 400 of those endpoints is a problem+json, and every call whose
     * contract was known left
     * exactly one lookup record, which the ledger holds (or quarantined).
     */
    @Test
    void thousandsOfHostileRequestsStopNothing() throws Exception {
        Party bank = party(Map.of("rateLimitPerSecond", 100_000));
        String kidc = activePerson();
        Party ministry = party(Map.of("kind", "MINISTRY", "rateLimitPerSecond", 100_000,
                "products", List.of("VERIFY", "BULK_VERIFY", "STATISTICS", "NOTIFY")), "bulk", "reports", "subscribe");
        List<Attack> attacks = attacks(bank, ministry, kidc).sampleStream().limit(2_500).toList();
        Set<String> audited = new TreeSet<>();
        Map<Integer, Integer> statuses = new HashMap<>();
        for (Attack attack : attacks) {
            RawHttp.Answer answer = attack.send();
            statuses.merge(answer.status(), 1, Integer::sum);
            assertTrue(answer.status() < 500 || answer.status() == 503,
                    attack + " answered " + answer.status() + ": " + answer.body());
            // (a request line the HTTP server cannot decode, such as a malformed %-escape, is refused by the server
            // itself before any endpoint: an empty 400 that closes the connection; known, not yet a problem)
            boolean refusedByTheServer = "0".equals(answer.headers().get("content-length"))
                    && "close".equals(answer.headers().get("connection"));
            if (answer.status() == 400 && MINISTRY_ATTACKS.contains(attack.what().split(" ")[0])
                    && !refusedByTheServer) {
                assertTrue(String.valueOf(answer.headers().get("content-type")).startsWith("application/problem+json"),
                        attack + " answered 400 without a problem: " + answer.headers());
            }
            if (answer.headers().containsKey("lookup-id")) {
                audited.add(answer.headers().get("lookup-id"));
            }
        }
        given().get("/q/health/live").then().statusCode(200);
        assertTrue(audited.size() > 500, "the personal-data calls were audited: " + statuses);
        awaitInLedger(audited);
        assertIntact();
    }

    /** Records no API writes — unreadable, or with values PostgreSQL refuses — are quarantined and the rest go on. */
    @Test
    void theLedgerQuarantinesWhatItCannotHoldAndGoesOn() throws Exception {
        Instant now = Instant.now();
        String unreadableKey = UUID.randomUUID().toString();
        String nulRecord = LookupIds.next(now.toEpochMilli()).toString();
        String hugeSubject = LookupIds.next(now.toEpochMilli()).toString();
        String badContract = LookupIds.next(now.toEpochMilli()).toString();
        String after = LookupIds.next(now.toEpochMilli()).toString();
        String contract = UUID.randomUUID().toString();
        List<ProducerRecord<String, byte[]>> sent = List.of(
                new ProducerRecord<>(Topics.LOOKUP_RECORDS, 0, unreadableKey, "{\"lookupId\":\0".getBytes()),
                new ProducerRecord<>(Topics.LOOKUP_RECORDS, 0, nulRecord, json(new LookupRecord(nulRecord, now,
                        contract, "cl-x", "op\u0000", "\u0000", Product.LOOKUP, "100000\u00000028", "REFUSED",
                        "invalid-request", List.of(), 400, false, 5))),
                new ProducerRecord<>(Topics.LOOKUP_RECORDS, 0, hugeSubject, json(new LookupRecord(hugeSubject, now,
                        contract, "cl-x", null, PURPOSE, Product.VERIFY, "9".repeat(5_000), "REFUSED",
                        "invalid-kidc", List.of(), 400, false, 5))),
                new ProducerRecord<>(Topics.LOOKUP_RECORDS, 0, badContract, json(new LookupRecord(badContract, now,
                        "not-a-contract", "cl-x", null, PURPOSE, Product.VERIFY, "1000000028", "ANSWERED",
                        "MATCH", List.of(), 200, true, 5))),
                new ProducerRecord<>(Topics.LOOKUP_RECORDS, 0, after, json(new LookupRecord(after, now,
                        contract, "cl-x", null, PURPOSE, Product.VERIFY, "1000000028", "ANSWERED", "MATCH",
                        List.of(), 200, true, 5))));
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalServicesResource.services().kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : sent) {
                producer.send(record).get();
            }
        }

        awaitInLedger(Set.of(unreadableKey, nulRecord, hugeSubject, badContract, after));
        assertEquals(LookupRecordConsumer.QUARANTINED, column(unreadableKey, "outcome"));
        assertEquals(LookupRecordConsumer.QUARANTINED, column(badContract, "outcome"));
        assertEquals("REFUSED", column(nulRecord, "outcome"), "made safe, not quarantined");
        assertTrue(column(nulRecord, "purpose").startsWith("\\u0000" + SafeText.DIGEST_MARK));
        assertTrue(column(hugeSubject, "subject_kidc").length() <= LookupRecord.MAX_SUBJECT + SafeText.DIGEST_LENGTH);
        assertEquals("ANSWERED", column(after, "outcome"), "the stream went on");

        Set<String> parked = deadLetterKeys();
        assertTrue(parked.containsAll(Set.of(unreadableKey, badContract)), "parked: " + parked);
        assertIntact();
    }

    // ------------------------------------------------------------------ the hostile requests

    /**
     * One request: what it is, and how to send it — byte for byte over a socket ({@link RawHttp}), so that what no
     * HTTP library would send (malformed percent-escapes, control characters in a path) reaches the server as a
     * hostile client sends it.
     */
    record Attack(String what, String method, String path, Map<String, String> headers, byte[] body,
                  String contentType) {

        RawHttp.Answer send() throws IOException {
            return RawHttp.send(RestAssured.port, method, path, headers, body, contentType);
        }

        @Override
        public String toString() {
            String shown = path.length() > 80 ? path.substring(0, 80) + "…" : path;
            return what + " " + method + " " + SafeText.of(shown, 100);
        }
    }

    /** Strings of every hostile class: control characters, lone surrogates, huge, Khmer, percent-escapes. */
    private static Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f', 'A', '1').ofMaxLength(20),
                Arbitraries.strings().withChars('\ud800', '\udc00', '\udfff', 'x').ofMinLength(1).ofMaxLength(5),
                Arbitraries.strings().withChars('S').ofMinLength(201).ofMaxLength(5_000),
                Arbitraries.strings().withCharRange('\u1780', '\u17ff').ofMaxLength(30),
                Arbitraries.of("%00", "%", "%zz", "%c3%28", "%ed%a0%80", "%ff%fe", "1000000028%00", "..%2f..%2f"),
                Arbitraries.strings().all().ofMaxLength(40));
    }

    /** A JSON value of the wrong kind where a string belongs: numbers, booleans, arrays, objects, deep nesting. */
    private static Arbitrary<String> wrongJson() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(n -> Long.toString(n)),
                Arbitraries.of("true", "null", "[]", "{}", "1e999", "-0", "1.5", "[\"1000000028\"]"),
                Arbitraries.integers().between(10, 5_000).map(depth -> "[".repeat(depth) + "]".repeat(depth)));
    }

    /** A JSON string literal of the text, with every character JSON-escaped, lone surrogates included. */
    private static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            out.append(c < 0x80 && c >= 0x20 && c != '"' && c != '\\' ? String.valueOf(c)
                    : String.format("\\u%04x", (int) c));
        }
        return out.append('"').toString();
    }

    private static Arbitrary<Attack> attacks(Party bank, Party ministry, String kidc) {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + bank.token(), "X-Operator-Id", "teller-1");
        Arbitrary<String> field = Arbitraries.of("kidc", "purpose", "reference", "familyName", "givenName",
                "dateOfBirth", "sex", "documentNumber", "province", "residentInProvince", "ageAtLeast", "alive");
        Arbitrary<Attack> verification = Combinators.combine(field, Arbitraries.oneOf(
                hostileText().map(HostileInputTest::literal), wrongJson())).as((name, value) -> {
                    String body = verificationBody(kidc, name, value);
                    return new Attack("verification " + name, "POST", "/v1/verifications", auth,
                            body.getBytes(StandardCharsets.UTF_8), "application/json");
                });
        Arbitrary<Attack> brokenBody = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.of(new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'},
                        new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'},
                        "{\"kidc\":\"1000000028\"".getBytes(StandardCharsets.UTF_8)))
                .map(bytes -> new Attack("broken body", "POST", "/v1/verifications", auth, bytes, "application/json"));
        Arbitrary<Attack> lookup = Combinators.combine(hostileText(), hostileText()).as((subject, purpose) ->
                new Attack("lookup", "GET", "/v1/persons/" + percent(subject) + "?purpose=" + percent(purpose), auth,
                        null, null));
        Arbitrary<Attack> headers = Combinators.combine(hostileText(), hostileText()).as((operator, key) -> {
            Map<String, String> sent = new HashMap<>(auth);
            sent.put("X-Operator-Id", headerSafe(operator));
            sent.put("Idempotency-Key", headerSafe(key));
            return new Attack("headers", "GET", "/v1/persons/" + kidc + "?purpose=" + PURPOSE, sent, null, null);
        });
        // failed token attempts are limited per source address: each comes from an address of its own (the test
        // profile trusts X-Forwarded-For), so that the flood does not lock this JVM's other tests out of tokens
        Arbitrary<Attack> basic = hostileText().map(credentials -> new Attack("token", "POST", "/oauth/token",
                Map.of("X-Forwarded-For", sourceAddress(), "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)).substring(0, Math.max(0,
                        Math.min(200, credentials.length() - 1)))),
                "grant_type=client_credentials&scope=verify".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded"));
        Arbitrary<Attack> tokenForm = hostileText().map(value -> new Attack("token form", "POST", "/oauth/token",
                Map.of("X-Forwarded-For", sourceAddress()), ("grant_type=client_credentials&client_id=" + percent(value) + "&client_secret="
                        + percent(value)).getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"));
        Arbitrary<Attack> admin = wrongJson().map(value -> new Attack("admin without the scope", "POST",
                "/v1/admin/contracts", auth, ("{\"organisation\":" + value + "}").getBytes(StandardCharsets.UTF_8),
                "application/json"));
        Arbitrary<Attack> audit = hostileText().map(value -> new Attack("audit without the scope", "GET",
                "/v1/audit/records?subject=" + percent(value) + "&from=" + percent(value), auth, null, null));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, verification), net.jqwik.api.Tuple.of(2, brokenBody),
                net.jqwik.api.Tuple.of(4, lookup), net.jqwik.api.Tuple.of(2, headers),
                net.jqwik.api.Tuple.of(1, basic), net.jqwik.api.Tuple.of(1, tokenForm),
                net.jqwik.api.Tuple.of(1, admin), net.jqwik.api.Tuple.of(1, audit),
                net.jqwik.api.Tuple.of(4, ministryAttacks(ministry, kidc)));
    }

    /**
     * The bulk, statistics, subscription and notification endpoints, as a client whose contract has every product
     * and scope they need (so that the hostile values reach the endpoints' own checks, not only the scope's).
     */
    /** The attacks of {@link #ministryAttacks} by their first word: each 400 they get must be a problem. */
    private static final Set<String> MINISTRY_ATTACKS = Set.of("statistics", "bulk", "subscription", "subscriptions",
            "unsubscription", "notifications", "webhook");

    private static Arbitrary<Attack> ministryAttacks(Party ministry, String kidc) {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + ministry.token(), "X-Operator-Id", "clerk-1");
        Arbitrary<String> dimension = Arbitraries.of("province", "district", "sex", "ageBand", "maritalStatus",
                "citizenship", "groupBy", "asOf", "purpose");
        Arbitrary<Attack> statistics = Combinators.combine(dimension, hostileText()).as((name, value) ->
                new Attack("statistics " + name, "GET", "/v1/statistics/population?" + name + "=" + percent(value),
                        auth, null, null));
        Arbitrary<Attack> statisticsName = hostileText().map(name -> new Attack("statistics name", "GET",
                "/v1/statistics/population?" + percent(name) + "=12", auth, null, null));
        Arbitrary<Attack> bulk = Combinators.combine(hostileText(), hostileText()).as((purpose, line) ->
                new Attack("bulk upload", "POST", "/v1/bulk-verifications?purpose=" + percent(purpose), auth,
                        ("kidc,familyName\n" + kidc + "," + line.replace("\n", " ") + "\n")
                                .getBytes(StandardCharsets.UTF_8), "text/csv"));
        Arbitrary<Attack> bulkRead = Combinators.combine(hostileText(), hostileText()).as((id, from) ->
                new Attack("bulk results", "GET", "/v1/bulk-verifications/" + percent(id) + "/results?fromLine="
                        + percent(from), auth, null, null));
        Arbitrary<Attack> subscribe = Arbitraries.oneOf(hostileText().map(HostileInputTest::literal), wrongJson())
                .map(value -> new Attack("subscription", "POST", "/v1/subscriptions", auth,
                        ("{\"kidc\":" + value + "}").getBytes(StandardCharsets.UTF_8), "application/json"));
        Arbitrary<Attack> subscriptions = Combinators.combine(hostileText(), hostileText()).as((value, limit) ->
                new Attack("subscriptions", "GET", "/v1/subscriptions?kidc=" + percent(value) + "&after="
                        + percent(value) + "&limit=" + percent(limit), auth, null, null));
        Arbitrary<Attack> unsubscribe = hostileText().map(value -> new Attack("unsubscription", "DELETE",
                "/v1/subscriptions/" + percent(value), auth, null, null));
        Arbitrary<Attack> feed = Combinators.combine(hostileText(), hostileText()).as((after, limit) ->
                new Attack("notifications", "GET", "/v1/notifications?after=" + percent(after) + "&limit="
                        + percent(limit), auth, null, null));
        Arbitrary<Attack> webhook = Arbitraries.oneOf(hostileText().map(HostileInputTest::literal), wrongJson())
                .map(value -> new Attack("webhook", "PUT", "/v1/subscriptions/webhook", auth,
                        ("{\"url\":" + value + "}").getBytes(StandardCharsets.UTF_8), "application/json"));
        return Arbitraries.oneOf(statistics, statisticsName, bulk, bulkRead, subscribe, subscriptions, unsubscribe,
                feed, webhook);
    }

    /** An address in the documentation range 198.18.0.0/15 (RFC 2544), a new one each time. */
    private static String sourceAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198." + (18 + (n >> 16 & 1)) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }

    private static final java.util.concurrent.atomic.AtomicInteger ADDRESSES = new java.util.concurrent.atomic.AtomicInteger();

    private static String verificationBody(String kidc, String field, String value) {
        Map<String, String> top = new HashMap<>(Map.of("kidc", literal(kidc), "purpose", literal(PURPOSE)));
        Map<String, String> claims = new HashMap<>(Map.of("familyName", literal("SOK")));
        Map<String, String> conditions = new HashMap<>();
        switch (field) {
            case "kidc", "purpose", "reference" -> top.put(field, value);
            case "province" -> claims.put("address", "{\"province\":" + value + "}");
            case "residentInProvince", "ageAtLeast", "alive" -> conditions.put(field, value);
            default -> claims.put(field, value);
        }
        top.put("claims", object(claims));
        if (!conditions.isEmpty()) {
            top.put("conditions", object(conditions));
        }
        return object(top);
    }

    private static String object(Map<String, String> members) {
        List<String> parts = new ArrayList<>();
        members.forEach((name, value) -> parts.add("\"" + name + "\":" + value));
        return "{" + String.join(",", parts) + "}";
    }

    /** A text as a URL would carry it: percent-escapes kept as they are (malformed ones too), the rest encoded. */
    private static String percent(String text) {
        if (text.startsWith("%") || text.contains("%2f")) {
            return text;
        }
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** HTTP cannot carry CR, LF or non-Latin-1 in a header at all: those are sent as the client library would. */
    private static String headerSafe(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c == '\r' || c == '\n' || c > 0xff ? '?' : c);
        }
        return out.length() > 6_000 ? out.substring(0, 6_000) : out.toString();
    }

    // ------------------------------------------------------------------ the ledger

    private static byte[] json(LookupRecord record) throws Exception {
        return LedgerExport.JSON.writeValueAsBytes(record);
    }

    private static void awaitInLedger(Set<String> lookupIds) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertEquals(lookupIds.size(), countInLedger(lookupIds), "entries held by the ledger, once each"));
    }

    private static long countInLedger(Set<String> lookupIds) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM audit.lookup_record WHERE lookup_id = ANY(?::uuid[])")) {
            query.setArray(1, connection.createArrayOf("text", lookupIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String column(String lookupId, String column) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + column + " FROM audit.lookup_record WHERE lookup_id = ?::uuid")) {
            query.setString(1, lookupId);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), "the ledger holds " + lookupId);
                return rows.getString(1);
            }
        }
    }

    private static Set<String> deadLetterKeys() {
        Set<String> keys = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicContents.all(LocalServicesResource.services().kafkaBootstrapServers(), "api.lookup-records.dlq",
                Duration.ofSeconds(15))) {
            assertTrue(record.headers().lastHeader("dlq-reason") != null, "parked with its reason");
            keys.add(new String(record.key(), StandardCharsets.UTF_8));
        }
        return keys;
    }


    private static void assertIntact() {
        String report = given().auth().oauth2(ApiTestSupport.adminToken()).get("/v1/audit/integrity").then()
                .statusCode(200).extract().asString();
        assertTrue(report.contains("\"intact\":true"), report);
    }
}
