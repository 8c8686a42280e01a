package kh.dds.billing.chaos;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kh.dds.localstack.ApiNodeKeys;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.localstack.PostgresServerProcess;
import kh.dds.localstack.QuarkusProcess;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.time.PhnomPenh;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The database itself dies (SPEC §3: no acknowledged event is lost across a restart of the database; §4.6, §4.7):
 * a PostgreSQL of the test's own is SIGKILLed twice — the postmaster and every backend at once — while the packaged
 * replica applies a steady stream of registry events, the packaged API answers verifications and lookups and its
 * ledger writer appends their records, and the packaged billing service meters them; each time it is restarted on
 * the same data, where it runs crash recovery from its write-ahead log. Calls are refused with 503 while it is
 * down. Afterwards: every event the broker acknowledged is applied exactly once, every lookup record on the topic is
 * in the ledger once and metered once, the ledger verifies, reconciliation is equal, and every service is ready
 * again. Liveness stays UP throughout: it checks no database (the datasources' checks are readiness checks, DOWN while
 * the database is away), so an outage of the database does not get the services restarted.
 */
class DatabaseCrashIT {

    private static final String DATABASE = "dds_database_crash_it";
    private static final int REDIS_DB = 6;
    private static final String EVENTS = "it.database-crash.person-events";
    private static final String CHANGES = "it.database-crash.person-changes";
    private static final String LOOKUP_RECORDS = "it.database-crash.lookup-records";
    private static final String ADMIN_SECRET = "database-crash-admin-secret";
    private static final String PURPOSE = "KYC_ACCOUNT_OPENING";
    private static final int PERSONS = 300;
    private static final int REGISTRY_EVENTS_PER_SECOND = 150;
    private static final int CALLERS = 3;
    private static final Duration OUTAGE = Duration.ofSeconds(4);
    private static final Duration CATCH_UP = Duration.ofSeconds(150);

    private final LocalServices services = LocalServices.get();
    private final List<AutoCloseable> started = new ArrayList<>();
    private PostgresServerProcess postgres;

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void nothingAcknowledgedIsLostOrDoubledWhenTheDatabaseCrashesTwiceUnderLoad() throws Exception {
        Path data = Path.of("target", "database-crash-it");
        PostgresServerProcess.discard(data);
        postgres = PostgresServerProcess.startNew(data);
        started.add(postgres);
        postgres.endpoint().ensureDatabase(DATABASE);
        KafkaTopics.ensure(services.kafkaBootstrapServers(), List.of(TopicSpec.parse(EVENTS + ":4"),
                TopicSpec.parse(EVENTS + ".dlq:1"), TopicSpec.parse(CHANGES + ":4:cleanup.policy=compact"),
                TopicSpec.parse(LOOKUP_RECORDS + ":4")));

        RegistryStream registry = new RegistryStream(services.kafkaBootstrapServers(), EVENTS, PERSONS);
        started.add(registry);
        QuarkusProcess replica = start("registry-replica", "replica.jar", replicaSettings());
        registry.registerAll();
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(
                () -> replicaStatus(replica).getLong("applied") == PERSONS);

        QuarkusProcess api = start("distribution-api", "api.jar", apiSettings());
        String admin = token(api, "dds-admin", ADMIN_SECRET);
        String contract = given().baseUri(api.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("organisation", "Crash Bank", "kind", "BANK", "validFrom", "2026-01-01",
                        "products", List.of("VERIFY", "LOOKUP"), "purposes", List.of(PURPOSE),
                        "dataPolicy", Map.of("fields", List.of("familyName", "givenName")),
                        "rateLimitPerSecond", 10_000, "tariffId", tariff(api, admin), "operatorIdRequired", false))
                .post("/v1/admin/contracts").then().statusCode(201).extract().path("id");
        JsonPath client = given().baseUri(api.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("scopes", List.of("verify", "lookup")))
                .post("/v1/admin/contracts/" + contract + "/clients").then().statusCode(201).extract().jsonPath();
        String bank = token(api, client.getString("clientId"), client.getString("clientSecret"));
        QuarkusProcess billing = start("billing", "billing.jar", billingSettings());

        Load load = new Load(registry, api.url(), bank);
        load.start();
        Map<String, Long> beforeFirstCrash = load.settle(Duration.ofSeconds(6));
        for (int crash = 1; crash <= 2; crash++) {
            long postmaster = postgres.kill();
            System.out.printf("PostgreSQL (postmaster %d) SIGKILLed, crash %d; load so far %s%n", postmaster, crash,
                    load.statuses());
            Thread.sleep(OUTAGE.toMillis());
            for (QuarkusProcess service : List.of(replica, api, billing)) {
                // liveness holds no database check (readiness does): an outage must not get every pod restarted
                given().baseUri(service.url()).get("/q/health/live").then().statusCode(200);
            }
            postgres.start();
            System.out.printf("PostgreSQL restarted after crash %d; load so far %s%n", crash, load.statuses());
            load.settle(Duration.ofSeconds(6));
        }
        Map<String, Long> beforeLastRestart = new HashMap<>(load.statuses());
        load.settle(Duration.ofSeconds(4));
        load.stop();
        System.out.printf("load done: %s; registry events acknowledged %d%n", load.statuses(),
                registry.acknowledgedTotal());

        assertEquals(0, registry.failed(), "the broker took every registry event (it was never down)");
        assertEquals(registry.publishedTotal(), registry.acknowledgedTotal());
        assertTrue(load.statuses().getOrDefault("200", 0L) > beforeLastRestart.getOrDefault("200", 0L),
                "calls are answered again after the database's last restart: " + load.statuses());
        assertTrue(beforeFirstCrash.getOrDefault("200", 0L) > 0, "calls were answered before the first crash");
        assertTrue(Set.of("200", "503").containsAll(load.statuses().keySet()),
                "a call is answered, or refused as the database's absence (503, retry later): " + load.statuses());

        assertEveryAcknowledgedEventAppliedOnce(replica, registry);
        Map<String, LookupRecord> records = lookupRecords();
        assertTrue(records.size() > 0);
        assertEveryRecordInTheLedgerOnce(api, admin, records);
        assertEveryRecordMeteredOnce(billing, admin, contract, records);
        for (QuarkusProcess service : List.of(replica, api, billing)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> {
                        given().baseUri(service.url()).get("/q/health/live").then().statusCode(200);
                        given().baseUri(service.url()).get("/q/health/ready").then().statusCode(200);
                    });
        }
    }

    /** Each person's version is the number of its events the broker acknowledged; none held, none dead-lettered. */
    private void assertEveryAcknowledgedEventAppliedOnce(QuarkusProcess replica, RegistryStream registry)
            throws Exception {
        long acknowledged = registry.acknowledgedTotal();
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            JsonPath status = replicaStatus(replica);
            assertEquals(acknowledged, status.getLong("applied"), status.prettify());
            assertEquals(0, status.getLong("lagEvents"), status.prettify());
        });
        JsonPath status = replicaStatus(replica);
        System.out.println("replica after the crashes: " + status.prettify());
        assertEquals(0, status.getLong("held"));
        assertEquals(0, status.getLong("deadLettered"));
        assertEquals(PERSONS, status.getLong("persons"));
        assertEquals(registry.acknowledged(), query("SELECT kidc, version FROM replica.person"),
                "every person at the version of its last acknowledged event");
    }

    /** The ledger holds exactly the topic's lookup ids, each once, and its chains and checkpoints verify. */
    private void assertEveryRecordInTheLedgerOnce(QuarkusProcess api, String admin, Map<String, LookupRecord> records)
            throws Exception {
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                assertEquals(records.size(), single("SELECT count(*) FROM audit.lookup_record")));
        assertEquals(records.keySet(), ids("SELECT lookup_id FROM audit.lookup_record"), "nothing lost");
        assertEquals(records.size(), single("SELECT count(DISTINCT lookup_id) FROM audit.lookup_record"),
                "nothing twice");
        assertEquals(0, single("SELECT count(*) FROM audit.lookup_record WHERE outcome = 'QUARANTINED'"));
        assertEquals(records.size(), single("SELECT sum(seq) FROM audit.lane"), "every lane without a gap");
        given().baseUri(api.url()).auth().oauth2(admin).post("/v1/audit/checkpoints").then().statusCode(200);
        JsonPath integrity = given().baseUri(api.url()).auth().oauth2(admin).get("/v1/audit/integrity")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(integrity.getBoolean("intact"), integrity.prettify());
        assertEquals(records.size(), integrity.getLong("entries"));
    }

    /**
     * Billing holds each of the topic's lookup ids once, its daily usage is the topic's count per contract, day and
     * product, and reconciliation finds the ledger's, the meter's and the API's counts equal.
     */
    private void assertEveryRecordMeteredOnce(QuarkusProcess billing, String admin, String contract,
                                              Map<String, LookupRecord> records) throws Exception {
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                assertEquals(records.size(), single("SELECT count(*) FROM billing.metered_call")));
        assertEquals(records.keySet(), ids("SELECT lookup_id FROM billing.metered_call"), "every record metered");
        Map<String, Long> expected = new HashMap<>();
        for (LookupRecord record : records.values()) {
            String key = record.contractId() + "/" + PhnomPenh.day(record.occurredAt()) + "/" + record.product()
                    + (record.billable() ? "/billable" : "/non-billable");
            expected.merge(key, 1L, Long::sum);
        }
        Map<String, Long> usage = new HashMap<>(query("""
                SELECT contract_id || '/' || day || '/' || product || '/billable', billable FROM billing.usage_daily
                WHERE billable > 0"""));
        usage.putAll(query("""
                SELECT contract_id || '/' || day || '/' || product || '/non-billable', non_billable
                FROM billing.usage_daily WHERE non_billable > 0"""));
        assertEquals(expected, usage, "usage per contract, day and product counts each record once");

        Set<LocalDate> days = new HashSet<>();
        records.values().forEach(record -> days.add(PhnomPenh.day(record.occurredAt())));
        for (LocalDate day : days) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> {
                        JsonPath report = given().baseUri(billing.url()).auth().oauth2(admin)
                                .get("/v1/admin/reconciliation?date=" + day).then().statusCode(200).extract()
                                .jsonPath();
                        Map<String, Object> row = report.getMap(
                                "contracts.find { it.contractId == '" + contract + "' }");
                        assertEquals(true, row.get("equal"), report.prettify());
                    });
        }
    }

    /** Every lookup record the API wrote, by lookup id, read from the start of the topic to its end. */
    private Map<String, LookupRecord> lookupRecords() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, LookupRecord> records = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(LOOKUP_RECORDS).stream()
                    .map(info -> new TopicPartition(LOOKUP_RECORDS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    LookupRecord lookup = LedgerExport.lookupRecord(record.value());
                    assertTrue(records.put(lookup.lookupId(), lookup) == null,
                            "the API wrote lookup record " + lookup.lookupId() + " once");
                });
            }
        }
        return records;
    }

    /**
     * The load while the database comes and goes: the registry publishes at a steady rate and a bank calls the API
     * without pause (one call in five a lookup), each call's status counted.
     */
    private static final class Load {

        private final RegistryStream registry;
        private final String api;
        private final String token;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final Map<String, Long> statuses = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS + 1);
        private final List<Future<?>> work = new ArrayList<>();

        Load(RegistryStream registry, String api, String token) {
            this.registry = registry;
            this.api = api;
            this.token = token;
        }

        void start() {
            work.add(threads.submit(() -> {
                long started = System.nanoTime();
                for (long sent = 0; running.get(); sent++) {
                    registry.changeNext();
                    long wait = started + sent * 1_000_000_000L / REGISTRY_EVENTS_PER_SECOND - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                registry.flush();
                return null;
            }));
            for (int i = 0; i < CALLERS; i++) {
                work.add(threads.submit(() -> {
                    while (running.get()) {
                        statuses.merge(call(), 1L, Long::sum);
                    }
                    return null;
                }));
            }
        }

        /** Lets the load run for {@code duration}; returns the statuses counted so far. */
        Map<String, Long> settle(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
            return statuses();
        }

        Map<String, Long> statuses() {
            return new HashMap<>(statuses);
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> each : work) {
                each.get();
            }
            threads.shutdown();
        }

        private String call() {
            List<String> persons = registry.persons();
            String kidc = persons.get(ThreadLocalRandom.current().nextInt(persons.size()));
            HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token);
            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                request.uri(URI.create(api + "/v1/persons/" + kidc + "?purpose=" + PURPOSE)).GET();
            } else {
                request.uri(URI.create(api + "/v1/verifications")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"kidc\":\"" + kidc + "\",\"purpose\":\""
                                + PURPOSE + "\",\"claims\":{\"familyName\":\"SOK\",\"givenName\":\"DARA\"}}"));
            }
            try {
                return Integer.toString(http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            } catch (java.io.IOException e) {
                return e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    private QuarkusProcess start(String name, String jarProperty, Map<String, String> settings) throws Exception {
        QuarkusProcess service = QuarkusProcess.start(name, Path.of(System.getProperty(jarProperty)), settings);
        started.add(service);
        service.awaitReady(Duration.ofSeconds(120));
        return service;
    }

    private Map<String, String> replicaSettings() {
        Map<String, String> settings = new HashMap<>(postgres.endpoint().quarkusEnvironment(DATABASE));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        settings.put("REPLICA_TOPIC", EVENTS);
        settings.put("REPLICA_DEAD_LETTER_TOPIC", EVENTS + ".dlq");
        settings.put("REPLICA_CHANGE_TOPIC", CHANGES);
        settings.put("REPLICA_GROUP_ID", "registry-replica-database-crash-it");
        settings.put("REPLICA_LAG_INTERVAL", "1s");
        settings.put("REPLICA_STATISTICS_RECORD_KEY_SECRET", "crash-test-record-key-secret-0123456789");
        // small batches, so that a crash lands in the middle of the stream's transactions
        settings.put("MP_MESSAGING_INCOMING_PERSON_EVENTS_MAX_POLL_RECORDS", "100");
        return settings;
    }

    private Map<String, String> apiSettings() {
        Map<String, String> settings = new HashMap<>(postgres.endpoint().quarkusEnvironment(DATABASE));
        Path keys = keys();
        settings.put("QUARKUS_REDIS_HOSTS", services.redisUrl(REDIS_DB));
        settings.put("QUARKUS_REDIS_COUNTERS_HOSTS", services.countersRedisUrl(REDIS_DB));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        settings.put("API_AUDIT_TOPIC", LOOKUP_RECORDS);
        settings.put("MP_MESSAGING_INCOMING_PERSON_CHANGES_TOPIC", CHANGES);
        settings.put("MP_MESSAGING_INCOMING_LOOKUP_RECORDS_MAX_POLL_RECORDS", "100");
        settings.putAll(new ApiNodeKeys(keys).environment(ADMIN_SECRET));
        return settings;
    }

    private Map<String, String> billingSettings() {
        Map<String, String> settings = new HashMap<>(postgres.endpoint().quarkusEnvironment(DATABASE));
        settings.put("QUARKUS_REDIS_COUNTERS_HOSTS", services.countersRedisUrl(REDIS_DB));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        settings.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys().resolve("jwks.json").toString());
        settings.put("BILLING_LOOKUP_RECORDS_TOPIC", LOOKUP_RECORDS);
        settings.put("MP_MESSAGING_INCOMING_LOOKUP_RECORDS_MAX_POLL_RECORDS", "100");
        return settings;
    }

    private static Path keys() {
        return Path.of(System.getProperty("api.test-keys"));
    }

    private static JsonPath replicaStatus(QuarkusProcess replica) {
        return given().baseUri(replica.url()).get("/v1/replica/status").then().statusCode(200).extract().jsonPath();
    }

    private static String token(QuarkusProcess api, String clientId, String secret) {
        return given().baseUri(api.url()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static String tariff(QuarkusProcess api, String admin) {
        return given().baseUri(api.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "database crash", "currency", "KHR", "products", Map.of(
                        "VERIFY", List.of(flat(400)), "LOOKUP", List.of(flat(1_000)))))
                .post("/v1/admin/tariffs").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> flat(long unitPrice) {
        Map<String, Object> tier = new HashMap<>();
        tier.put("upTo", null);
        tier.put("unitPrice", unitPrice);
        return tier;
    }

    private long single(String sql) throws Exception {
        try (Connection connection = postgres.endpoint().connect(DATABASE);
             Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Set<String> ids(String sql) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = postgres.endpoint().connect(DATABASE);
             Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** A two-column query (text, count) as a map. */
    private Map<String, Long> query(String sql) throws Exception {
        Map<String, Long> rows = new HashMap<>();
        try (Connection connection = postgres.endpoint().connect(DATABASE);
             Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }
}
