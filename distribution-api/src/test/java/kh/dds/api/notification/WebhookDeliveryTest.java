package kh.dds.api.notification;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.lookupRecords;
import static kh.dds.api.ApiTestSupport.newKidc;
import static kh.dds.api.notification.NotificationFeedTest.subscribe;
import static kh.dds.api.notification.NotificationFeedTest.subscriber;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.schema.event.LifeEventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against a real receiver that verifies every delivery with the Standard Webhooks reference library:
 * signatures (two during a rotation), retries then one delivery, parking after the retry budget and replay, per-KIdC
 * order, a failing slow receiver not holding another contract back, audit and billing once, SSRF refusals.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    /** A contract with its webhook at {@code path}, answering as {@code behaviour}; the receiver knows its secret. */
    private static Party withWebhook(String path, Receiver.Behaviour behaviour) {
        Party party = subscriber(List.of());
        receiver.behaviours.put(path, behaviour);
        String secret = putWebhook(party, receiver.url(path)).then().statusCode(200).extract().path("secret");
        assertTrue(secret.startsWith("whsec_"));
        receiver.secrets.put(path, List.of(secret));
        return party;
    }

    private static Response putWebhook(Party party, String url) {
        return given().auth().oauth2(party.token()).contentType("application/json")
                .body("{\"url\":\"" + url + "\"}").put("/v1/subscriptions/webhook");
    }

    private static List<String> publishLife(Party party, int events) {
        String kidc = newKidc();
        subscribe(party, kidc).then().statusCode(201);
        List<String> ids = new ArrayList<>();
        for (int sequence = 2; sequence < 2 + events; sequence++) {
            var event = LifeEvents.event(kidc, sequence, sequence % 2 == 0 ? LifeEventType.DOCUMENT_REVOKED
                    : LifeEventType.NAME_CHANGED, null);
            LifeEvents.publish(event);
            ids.add(event.eventId().toString());
        }
        return ids;
    }

    private static List<JsonNode> notifyRecords(Party party) {
        return lookupRecords(r -> party.contractId().equals(r.path("contractId").asText())
                && "NOTIFY".equals(r.path("product").asText()));
    }

    @Test
    void deliveriesAreSignedVerifiedInOrderPerKidcAndBilledOnceEvenWhenTheFeedIsReadAfterwards() throws Exception {
        Party bank = withWebhook("/ok", Receiver.Behaviour.OK);
        publishLife(bank, 6);
        await().atMost(WAIT).until(() -> receiver.delivered("/ok").size() == 6);
        List<Receiver.Delivery> delivered = receiver.delivered("/ok");
        List<Long> sequences = new ArrayList<>();
        for (Receiver.Delivery delivery : delivered) {
            assertEquals(1, delivery.verifiedWith().size(), "verified by the Standard Webhooks library");
            JsonNode body = ApiTestSupport.JSON.readTree(delivery.body());
            assertEquals(delivery.id(), body.path("notificationId").asText(), "webhook-id is the notification's id");
            sequences.add(LifeEventsOrder.sequenceOf(body));
        }
        assertEquals(sequences.stream().sorted().toList(), sequences, "one KIdC's notifications arrive in order");
        assertEquals(6, new HashSet<>(delivered.stream().map(Receiver.Delivery::id).toList()).size());

        await().atMost(WAIT).until(() -> notifyRecords(bank).size() == 6);
        List<JsonNode> feed = NotificationFeedTest.all(bank);
        assertEquals(6, feed.size(), "the feed holds the same notifications");
        for (JsonNode notification : feed) {
            assertTrue(delivered.stream().anyMatch(d -> d.id().equals(notification.path("notificationId").asText())));
        }
        Thread.sleep(500);
        List<JsonNode> records = notifyRecords(bank);
        assertEquals(6, records.size(), "billed once on the webhook's 2xx, never again for the feed's read");
        records.forEach(r -> {
            assertTrue(r.path("billable").asBoolean());
            assertEquals("webhook", r.path("clientId").asText());
        });
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheNotificationOnTheThirdAttemptAndItIsBilledOnce() {
        Party bank = withWebhook("/flaky", Receiver.Behaviour.FAIL_TWICE);
        publishLife(bank, 1);
        await().atMost(WAIT).until(() -> receiver.delivered("/flaky").size() == 1);
        String id = receiver.delivered("/flaky").get(0).id();
        assertEquals(3, receiver.deliveries.stream().filter(d -> d.id().equals(id)).count(),
                "two failures then one delivery, the same webhook-id each time");
        assertTrue(receiver.deliveries.stream().filter(d -> d.id().equals(id))
                .allMatch(d -> d.verifiedWith().size() == 1));
        await().atMost(WAIT).until(() -> notifyRecords(bank).size() == 1);
        given().auth().oauth2(bank.token()).get("/v1/subscriptions/webhook").then().statusCode(200)
                .body("pending", equalTo(0)).body("failures", equalTo(2));
    }

    @Test
    void aDeadReceiversNotificationsAreParkedVisibleAndReplayable() throws Exception {
        Party bank = withWebhook("/dead", Receiver.Behaviour.FAIL);
        publishLife(bank, 2);
        await().atMost(WAIT).until(() -> given().auth().oauth2(bank.token()).get("/v1/notifications/parked")
                .then().extract().<List<Object>>path("parked").size() == 2);
        Response parked = given().auth().oauth2(bank.token()).get("/v1/notifications/parked");
        assertEquals("HTTP 500", parked.path("parked[0].lastError"));
        assertTrue((int) parked.path("parked[0].attempts") >= 3);
        assertEquals(0, notifyRecords(bank).size(), "nothing delivered, nothing billed");
        // another contract sees none of them, and cannot replay them
        Party other = subscriber(List.of());
        given().auth().oauth2(other.token()).get("/v1/notifications/parked").then().body("parked.size()", equalTo(0));
        given().auth().oauth2(other.token()).contentType("application/json").body("")
                .post("/v1/notifications/parked/replay").then().statusCode(200).body("replayed", equalTo(0));

        receiver.behaviours.put("/dead", Receiver.Behaviour.OK);
        given().auth().oauth2(bank.token()).contentType("application/json").body("")
                .post("/v1/notifications/parked/replay").then().statusCode(200).body("replayed", equalTo(2));
        await().atMost(WAIT).until(() -> receiver.delivered("/dead").size() == 2);
        await().atMost(WAIT).until(() -> notifyRecords(bank).size() == 2);
    }

    @Test
    void aNotificationQueuedLongerThanTheRetryBudgetStillGetsTheWholeBackOffSchedule() throws Exception {
        Party bank = withWebhook("/queued", Receiver.Behaviour.FAIL);
        publishLife(bank, 1);
        String where = " WHERE contract_id = '" + bank.contractId() + "'";
        await().atMost(WAIT).until(() -> sql("SELECT count(*) FROM api.notification" + where) == 1);
        // as if it had waited a day behind a slow receiver (the budget is 3 s here) and had not been tried yet
        sql("UPDATE api.notification SET created_at = now() - interval '1 day', attempts = 0, retry_since = NULL,"
                + " webhook_state = 'PENDING', next_attempt_at = now(), lease_until = NULL, last_error = NULL" + where);
        await().atMost(WAIT).until(() -> sql("SELECT count(*) FROM api.notification" + where
                + " AND webhook_state = 'PARKED'") == 1);
        assertTrue(sql("SELECT attempts FROM api.notification" + where) >= 3,
                "the budget counts from the first attempt: retried, not parked after one attempt");
    }

    private static long sql(String statement) throws Exception {
        try (var connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             var query = connection.createStatement()) {
            if (!query.execute(statement)) {
                return query.getUpdateCount();
            }
            try (var rows = query.getResultSet()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void aSlowFailingReceiverDoesNotHoldAnotherContractBack() {
        Party slow = withWebhook("/slow", Receiver.Behaviour.SLOW_FAIL);
        Party fast = withWebhook("/fast", Receiver.Behaviour.OK);
        for (int i = 0; i < 10; i++) {
            publishLife(slow, 3);
        }
        publishLife(fast, 5);
        await().atMost(WAIT).until(() -> receiver.delivered("/fast").size() == 5);
        int pending = given().auth().oauth2(slow.token()).get("/v1/subscriptions/webhook").then().statusCode(200)
                .extract().path("pending");
        assertTrue(pending > 0, "the slow receiver's notifications were still waiting while the other's arrived");
        assertNotNull(given().auth().oauth2(slow.token()).get("/v1/subscriptions/webhook").path("oldestPendingAt"));
        await().atMost(WAIT).until(() -> given().get("/q/metrics").asString().contains(
                "api_notifications_webhook_pending{contract=\"" + slow.contractId() + "\"}"));
    }

    @Test
    void aRotationSignsWithBothSecretsForTheOverlap() {
        Party bank = withWebhook("/rotated", Receiver.Behaviour.OK);
        String old = receiver.secrets.get("/rotated").get(0);
        Response rotated = putWebhook(bank, receiver.url("/rotated"));
        rotated.then().statusCode(200);
        String fresh = rotated.path("secret");
        assertNotNull(rotated.path("previousSecretValidUntil"));
        receiver.secrets.put("/rotated", List.of(old, fresh));
        publishLife(bank, 1);
        await().atMost(WAIT).until(() -> receiver.delivered("/rotated").size() == 1);
        assertEquals(List.of(old, fresh), receiver.delivered("/rotated").get(0).verifiedWith(),
                "each secret verifies on its own: two signatures");
    }

    @Test
    void webhookUrlsThatPointInsideAreRefused() {
        Party bank = subscriber(List.of());
        for (String url : List.of("http://10.0.0.8/hook", "http://192.168.1.1/hook", "http://169.254.169.254/latest",
                "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://0.0.0.0/hook", "ftp://example.org/hook",
                "http://user:pw@127.0.0.1/hook")) {
            putWebhook(bank, url).then().statusCode(400)
                    .body("type", equalTo("https://dds.gov.kh/problems/webhook-url-refused"));
        }
        Party noScope = ApiTestSupport.party(Map.of("products", List.of("NOTIFY")), "verify");
        putWebhook(noScope, receiver.url("/x")).then().statusCode(403);
    }
}
