package kh.dds.api.nodes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.ServiceRole;
import kh.dds.localstack.TopicContents;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.event.Topics;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Webhooks delivered by a packaged API node that is SIGKILLed mid-delivery (SPEC §4.5: at least once, in order per
 * KIdC, audited and billed once). The receiver is a real HTTP server that verifies every request with the Standard
 * Webhooks reference library; it fails each notification's first attempts in one of four ways — two 500s, a dropped
 * connection (closed without an answer), an answer slower than the node's timeout, a slow but good answer — and then
 * takes it. While deliveries are in flight the node is killed and another started on the same database. Afterwards
 * every notification arrived at least once, the first arrivals of each KIdC's notifications are in their order, every
 * request's signature verified, the ledger holds one billable {@code NOTIFY} record a notification (its lookup id the
 * notification's), the audit topic no second record under another lookup id, and the feed the same notifications.
 */
class NotifyCrashIT {

    private static final String DATABASE = "dds_notify_crash_it";
    private static final String TOPIC = "it.notify-crash.lookup-records";
    private static final int REDIS_DB = 6;
    private static final int KIDCS = 100;
    private static final int EVENTS_PER_KIDC = 3;
    private static final int NOTIFICATIONS = KIDCS * EVENTS_PER_KIDC;
    private static final Instant EPOCH = Instant.parse("2026-12-01T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyNotificationArrivesInOrderVerifiedAndIsAuditedOnceThoughItsSenderIsKilled() throws Exception {
        LocalServices services = LocalServices.get();
        database(services);
        KafkaTopics.ensure(services.kafkaBootstrapServers(), List.of(TopicSpec.parse(TOPIC + ":4"),
                TopicSpec.parse(Topics.PERSON_NOTIFICATIONS + ":4"),
                TopicSpec.parse(Topics.PERSON_CHANGES + ":4:cleanup.policy=compact")));
        services.redis();
        Map<String, String> settings = new HashMap<>();
        settings.put("API_AUDIT_TOPIC", TOPIC);
        settings.put("API_NOTIFICATIONS_SECRET_KEY",
                "file:" + Path.of(System.getProperty("api.test-keys")).resolve("webhook-secret-key"));
        settings.put("API_NOTIFICATIONS_WEBHOOK_REQUIRE_HTTPS", "false");
        settings.put("API_NOTIFICATIONS_WEBHOOK_ALLOW_LOOPBACK", "true");
        settings.put("API_NOTIFICATIONS_WEBHOOK_POLL", "100ms");
        settings.put("API_NOTIFICATIONS_WEBHOOK_TIMEOUT", "1s");
        settings.put("API_NOTIFICATIONS_WEBHOOK_LEASE", "3s");
        settings.put("API_NOTIFICATIONS_WEBHOOK_RETRY_INITIAL", "200ms");
        settings.put("API_NOTIFICATIONS_WEBHOOK_RETRY_MAX", "1s");
        settings.put("API_NOTIFICATIONS_WEBHOOK_PER_ENDPOINT", "32");
        // the killed node's consumers leave their groups within seconds, not the default 45 s
        settings.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        settings.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");

        Vertx vertx = Vertx.vertx();
        Receiver receiver = new Receiver(vertx);
        ApiProcess node = ApiProcess.start(services, DATABASE, REDIS_DB, settings);
        try {
            node.awaitReady(Duration.ofSeconds(90));
            String admin = token(node, "dds-admin", ApiProcess.ADMIN_SECRET);
            String contract = given().baseUri(node.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("organisation", "Crash Test Bank", "kind", "BANK", "validFrom", "2026-01-01",
                            "products", List.of("NOTIFY"), "purposes", List.of("KYC_ACCOUNT_OPENING"),
                            "dataPolicy", Map.of("fields", List.of()), "rateLimitPerSecond", 1000,
                            "operatorIdRequired", false))
                    .post("/v1/admin/contracts").then().statusCode(201).extract().path("id");
            var client = given().baseUri(node.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("scopes", List.of("subscribe"))).post("/v1/admin/contracts/" + contract + "/clients")
                    .then().statusCode(201).extract();
            String bank = token(node, client.path("clientId"), client.path("clientSecret"));
            receiver.secret = given().baseUri(node.url()).auth().oauth2(bank).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url())).put("/v1/subscriptions/webhook")
                    .then().statusCode(200).extract().path("secret");

            List<String> kidcs = new ArrayList<>();
            Random random = new Random();
            for (int i = 0; i < KIDCS; i++) {
                String kidc = Kidc.random(random, KidcKind.CITIZEN).value();
                kidcs.add(kidc);
                given().baseUri(node.url()).auth().oauth2(bank).contentType(ContentType.JSON)
                        .body(Map.of("kidc", kidc)).post("/v1/subscriptions").then().statusCode(201);
            }
            publish(services, kidcs);
            String notifications = " FROM api.notification WHERE contract_id = '" + contract + "'";
            await(services, "SELECT count(*)" + notifications, NOTIFICATIONS, Duration.ofSeconds(60));

            // killed while deliveries are in flight, a third of the way through
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (receiver.firstArrivals.size() < NOTIFICATIONS / 3 || receiver.inFlight.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "deliveries under way within a minute");
                Thread.sleep(20);
            }
            int inFlightAtKill = receiver.inFlight.get();
            node.kill();
            assertTrue(inFlightAtKill > 0, "killed mid-delivery");
            int arrivedBeforeKill = receiver.firstArrivals.size();
            assertTrue(arrivedBeforeKill < NOTIFICATIONS, "killed before the end");
            node = ApiProcess.start(services, DATABASE, REDIS_DB, settings);
            node.awaitReady(Duration.ofSeconds(90));

            await(services, "SELECT count(*)" + notifications + " AND webhook_state = 'DELIVERED'", NOTIFICATIONS,
                    Duration.ofSeconds(90));
            assertEquals(NOTIFICATIONS, receiver.firstArrivals.size(), "every notification arrived");
            assertEquals(0, receiver.unverified.get(), "every request's signature verified");
            assertTrue(receiver.failuresServed.get() >= NOTIFICATIONS, "the first attempts failed");
            System.out.printf("NotifyCrashIT: %d notifications, %d arrived before the kill (%d requests in flight), "
                    + "%d failed attempts served, %d requests in all%n", NOTIFICATIONS, arrivedBeforeKill,
                    inFlightAtKill, receiver.failuresServed.get(), receiver.requests.get());

            // in order per KIdC: the first arrivals of one KIdC's notifications follow their sequence
            Map<String, List<Long>> byKidc = new LinkedHashMap<>();
            for (JsonNode body : receiver.firstArrivals.values().stream()
                    .sorted((a, b) -> Long.compare(a.path("arrival").asLong(), b.path("arrival").asLong())).toList()) {
                byKidc.computeIfAbsent(body.path("kidc").asText(), k -> new ArrayList<>()).add(sequenceOf(body));
            }
            assertEquals(KIDCS, byKidc.size());
            byKidc.forEach((kidc, sequences) -> assertEquals(List.of(2L, 3L, 4L), sequences,
                    "the notifications of " + kidc + " arrived in order"));

            // audited once: one ledger record a notification, billable, under the notification's own lookup id
            await(services, "SELECT count(*)" + notifications + " AND audited_at IS NOT NULL", NOTIFICATIONS,
                    Duration.ofSeconds(60));
            String ledger = " FROM audit.lookup_record WHERE product = 'NOTIFY' AND contract_id = '" + contract + "'";
            await(services, "SELECT count(*)" + ledger, NOTIFICATIONS, Duration.ofSeconds(90));
            assertEquals(NOTIFICATIONS, count(services, "SELECT count(*) FROM api.notification n JOIN "
                    + "audit.lookup_record r ON r.lookup_id = n.lookup_id AND r.product = 'NOTIFY' AND r.billable "
                    + "AND r.subject_kidc = n.kidc WHERE n.contract_id = '" + contract + "'"));

            // the feed holds the same notifications, and reading it bills nothing more
            List<JsonNode> feed = feed(node, bank);
            assertEquals(receiver.firstArrivals.keySet(),
                    new HashSet<>(feed.stream().map(n -> n.path("notificationId").asText()).toList()));
            for (JsonNode notification : feed) {
                JsonNode arrived = receiver.firstArrivals.get(notification.path("notificationId").asText());
                assertEquals(notification.path("kidc").asText(), arrived.path("kidc").asText());
                assertEquals(notification.path("type").asText(), arrived.path("type").asText());
                assertEquals(notification.path("occurredAt").asText(), arrived.path("occurredAt").asText());
            }
            Thread.sleep(6_000);
            assertEquals(NOTIFICATIONS, count(services, "SELECT count(*)" + ledger), "one ledger record each");
            assertEquals(NOTIFICATIONS, count(services, "SELECT count(DISTINCT lookup_id)" + ledger));

            // billed once: what billing reads (the audit topic, kept once by lookup id) names each notification once
            Map<String, Set<String>> lookupIdsByNotification = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : TopicContents.all(services.kafkaBootstrapServers(), TOPIC,
                    Duration.ofSeconds(15))) {
                JsonNode json = JSON.readTree(record.value());
                if ("NOTIFY".equals(json.path("product").asText())) {
                    lookupIdsByNotification.computeIfAbsent(json.path("detail").asText(), k -> new HashSet<>())
                            .add(json.path("lookupId").asText());
                }
            }
            assertEquals(NOTIFICATIONS, lookupIdsByNotification.size());
            lookupIdsByNotification.forEach((detail, ids) -> assertEquals(1, ids.size(),
                    detail + " was recorded under one lookup id"));
        } finally {
            node.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The receiver: verifies each request with the Standard Webhooks library, then answers according to the
     * notification and its attempt.
     */
    static final class Receiver {

        final Map<String, JsonNode> firstArrivals = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger unverified = new AtomicInteger();
        final AtomicInteger failuresServed = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        private final AtomicInteger arrivals = new AtomicInteger();
        private final Vertx vertx;
        private final HttpServer server;
        volatile String secret;

        Receiver(Vertx vertx) throws Exception {
            this.vertx = vertx;
            this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        String url() {
            return "http://127.0.0.1:" + server.actualPort() + "/hooks/dds";
        }

        private void handle(HttpServerRequest request) {
            inFlight.incrementAndGet();
            request.body().onComplete(read -> {
                if (read.failed()) {
                    inFlight.decrementAndGet();
                    return;
                }
                String body = read.result().toString(StandardCharsets.UTF_8);
                String id = String.valueOf(request.getHeader("webhook-id"));
                requests.incrementAndGet();
                if (!verified(request, body)) {
                    unverified.incrementAndGet();
                    answer(request, 401, 0, null, null);
                    return;
                }
                int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                switch (Math.floorMod(id.hashCode(), 4)) {
                    case 0 -> answer(request, attempt <= 2 ? 500 : 204, 0, id, body);
                    case 1 -> {
                        if (attempt == 1) { // the connection dropped without an answer
                            failuresServed.incrementAndGet();
                            inFlight.decrementAndGet();
                            request.connection().close();
                        } else {
                            answer(request, 200, 400, id, body);
                        }
                    }
                    case 2 -> answer(request, attempt == 1 ? 503 : 200, attempt == 1 ? 1_500 : 0, id, body);
                    default -> answer(request, attempt == 1 ? 500 : 200, attempt == 1 ? 0 : 300, id, body);
                }
            });
        }

        private boolean verified(HttpServerRequest request, String body) {
            Map<String, List<String>> headers = new HashMap<>();
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                headers.put(name, List.of(String.valueOf(request.getHeader(name))));
            }
            try {
                new Webhook(secret).verify(body, headers);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        /** Answers after {@code delayMillis}; a 2xx is an arrival (the first of each notification is kept). */
        private void answer(HttpServerRequest request, int status, long delayMillis, String id, String body) {
            Runnable respond = () -> {
                if (status / 100 == 2) {
                    try {
                        var json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(body);
                        json.put("arrival", arrivals.incrementAndGet());
                        firstArrivals.putIfAbsent(id, json);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                } else {
                    failuresServed.incrementAndGet();
                }
                inFlight.decrementAndGet();
                request.response().setStatusCode(status).end();
            };
            if (delayMillis == 0) {
                respond.run();
            } else {
                vertx.setTimer(delayMillis, t -> respond.run());
            }
        }
    }

    private static long sequenceOf(JsonNode notification) {
        return Instant.parse(notification.path("occurredAt").asText()).getEpochSecond() - EPOCH.getEpochSecond();
    }

    /** Each KIdC's life events 2, 3 and 4 on the replica's topic, as the replica's outbox writes them. */
    private static void publish(LocalServices services, List<String> kidcs) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (int sequence = 2; sequence < 2 + EVENTS_PER_KIDC; sequence++) {
                for (String kidc : kidcs) {
                    Instant at = EPOCH.plusSeconds(sequence);
                    String type = sequence % 2 == 0 ? "DOCUMENT_REVOKED" : "NAME_CHANGED";
                    String json = "{\"eventId\":\"" + java.util.UUID.randomUUID() + "\",\"kidc\":\"" + kidc
                            + "\",\"sequence\":" + sequence + ",\"type\":\"" + type + "\",\"occurredAt\":\"" + at
                            + "\",\"dataAsOf\":\"" + at + "\"}";
                    producer.send(new ProducerRecord<>(Topics.PERSON_NOTIFICATIONS, kidc, json));
                }
            }
            producer.flush();
        }
    }

    private static List<JsonNode> feed(ApiProcess node, String token) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        while (true) {
            var request = given().baseUri(node.url()).auth().oauth2(token).queryParam("limit", 100);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonNode page = JSON.readTree(request.get("/v1/notifications").then().statusCode(200).extract().asString());
            if (page.path("notifications").isEmpty()) {
                return all;
            }
            page.path("notifications").forEach(all::add);
            after = page.path("next").asText();
        }
    }

    private static String token(ApiProcess node, String clientId, String secret) {
        return given().baseUri(node.url()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

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

    /** A fresh database: the replica's schema (empty: the notifications carry no registry values) and no API yet. */
    private static void database(LocalServices services) throws Exception {
        services.postgres().ensureDatabase(DATABASE);
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement();
             InputStream in = NotifyCrashIT.class.getResourceAsStream("/db/replica/V1__replica.sql")) {
            statement.execute("DROP SCHEMA IF EXISTS replica CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS api CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS audit CASCADE");
            services.postgres().ensureRoles(DATABASE);
            statement.execute("SET ROLE " + ServiceRole.REPLICA.roleName());
            statement.execute("SET search_path TO replica");
            statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
