package kh.dds.api.notification;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.lookupRecords;
import static kh.dds.api.ApiTestSupport.newKidc;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.person;
import static kh.dds.api.ApiTestSupport.sokDara;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.schema.event.LifeEventType;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions (one, NDJSON, CSV; looked up, listed, removed), the replica's life events matched into notifications,
 * the feed (ordered, paged, resumable), registry values only under the contract's policy, audited and billed once on
 * first read, and no contract ever seeing another's subscriptions or notifications.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class NotificationFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static Party subscriber(List<String> policy) {
        return party(Map.of("products", List.of("NOTIFY"), "dataPolicy", Map.of("fields", policy)), "subscribe");
    }

    static Response subscribe(Party party, String kidc) {
        return given().auth().oauth2(party.token()).contentType("application/json")
                .body("{\"kidc\":\"" + kidc + "\"}").post("/v1/subscriptions");
    }

    static JsonNode feed(Party party, String after, Integer limit) throws Exception {
        var request = given().auth().oauth2(party.token());
        if (after != null) {
            request.queryParam("after", after);
        }
        if (limit != null) {
            request.queryParam("limit", limit);
        }
        Response response = request.get("/v1/notifications");
        response.then().statusCode(200);
        return ApiTestSupport.JSON.readTree(response.asString());
    }

    static List<JsonNode> all(Party party) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        feed(party, null, 500).path("notifications").forEach(all::add);
        return all;
    }

    @Test
    void oneSubscriptionIsAddedFoundListedAndRemovedByItsOwnContractOnly() {
        Party bank = subscriber(List.of());
        Party other = subscriber(List.of());
        String kidc = newKidc();
        subscribe(bank, kidc).then().statusCode(201).body("subscribed", equalTo(1));
        subscribe(bank, kidc).then().statusCode(200).body("alreadySubscribed", equalTo(1));
        given().auth().oauth2(bank.token()).queryParam("kidc", kidc).get("/v1/subscriptions")
                .then().statusCode(200).body("kidc", equalTo(kidc));
        // BOLA: the other contract sees nothing of it, and cannot remove it
        given().auth().oauth2(other.token()).queryParam("kidc", kidc).get("/v1/subscriptions")
                .then().statusCode(404);
        given().auth().oauth2(other.token()).get("/v1/subscriptions")
                .then().statusCode(200).body("subscriptions.size()", equalTo(0));
        given().auth().oauth2(other.token()).delete("/v1/subscriptions/" + kidc).then().statusCode(404);
        given().auth().oauth2(bank.token()).get("/v1/subscriptions")
                .then().statusCode(200).body("subscriptions[0].kidc", equalTo(kidc));
        given().auth().oauth2(bank.token()).delete("/v1/subscriptions/" + kidc).then().statusCode(204);
        given().auth().oauth2(bank.token()).queryParam("kidc", kidc).get("/v1/subscriptions")
                .then().statusCode(404);
    }

    @Test
    void withoutTheScopeOrTheProductNothingIsSubscribed() {
        Party verifier = party(Map.of("products", List.of("VERIFY", "NOTIFY")), "verify");
        subscribe(verifier, newKidc()).then().statusCode(403).body("type", equalTo(
                "https://dds.gov.kh/problems/scope-missing"));
        Party noProduct = party(Map.of("products", List.of("VERIFY")), "verify", "subscribe");
        subscribe(noProduct, newKidc()).then().statusCode(403).body("type", equalTo(
                "https://dds.gov.kh/problems/product-not-allowed"));
        given().auth().oauth2(noProduct.token()).get("/v1/notifications").then().statusCode(403);
        Party bank = subscriber(List.of());
        subscribe(bank, "12345").then().statusCode(400).body("type", equalTo(
                "https://dds.gov.kh/problems/invalid-kidc"));
        given().auth().oauth2(bank.token()).contentType("application/json").body("{\"kidc\":1234567890}")
                .post("/v1/subscriptions").then().statusCode(400);
    }

    @Test
    void anNdjsonAndACsvUploadStreamInBatchesAndReportEachBadLine() throws Exception {
        Party bank = subscriber(List.of());
        StringBuilder ndjson = new StringBuilder();
        Set<String> kidcs = new TreeSet<>();
        while (kidcs.size() < 12_000) {
            String kidc = newKidc();
            if (kidcs.add(kidc)) {
                ndjson.append("{\"kidc\":\"").append(kidc).append("\"}\n");
            }
        }
        ndjson.append("{\"kidc\":\"123\"}\n").append("not json\n").append("{\"kidc\":\"")
                .append(kidcs.iterator().next()).append("\"}\r\n");
        Response response = given().auth().oauth2(bank.token()).contentType("application/x-ndjson")
                .body(ndjson.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/subscriptions");
        response.then().statusCode(200);
        assertEquals(kidcs.size() + 1, (int) response.path("received"));
        assertEquals(kidcs.size(), (int) response.path("subscribed"));
        assertEquals(2, (int) response.path("rejected"));
        assertEquals(12_001, (int) response.path("problems[0].line"));
        assertEquals(12_002, (int) response.path("problems[1].line"));

        String csv = "kidc\n" + newKidc() + "\n\"" + newKidc() + "\"\n12x4567890\n";
        given().auth().oauth2(bank.token()).contentType("text/csv").body(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/subscriptions")
                .then().statusCode(200).body("subscribed", equalTo(2)).body("rejected", equalTo(1))
                .body("problems[0].line", equalTo(4));
        given().auth().oauth2(bank.token()).contentType("text/csv").body((newKidc() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/subscriptions").then().statusCode(400);

        // a roll past the old 1 MiB bound, sent chunked (no Content-Length), as a stream of a customer file would be
        StringBuilder large = new StringBuilder("kidc\n");
        Set<String> many = new TreeSet<>();
        while (many.size() < 100_000) {
            String kidc = newKidc();
            if (!kidcs.contains(kidc) && many.add(kidc)) {
                large.append(kidc).append('\n');
            }
        }
        byte[] largeBytes = large.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(largeBytes.length > 1024 * 1024, "over 1 MiB: " + largeBytes.length);
        java.net.http.HttpResponse<String> streamed = chunked(bank, "text/csv", largeBytes);
        assertEquals(200, streamed.statusCode(), streamed.body());
        assertEquals(100_000, ApiTestSupport.JSON.readTree(streamed.body()).path("subscribed").asInt());
        // one subscription as JSON stays a small body: chunked, it is refused before a byte is read
        assertEquals(411, chunked(bank, "application/json", ("{\"kidc\":\"" + newKidc() + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode());

        // listed page by page, in KIdC order, resumable from the last KIdC
        int seen = 0;
        String after = null;
        while (true) {
            var request = given().auth().oauth2(bank.token()).queryParam("limit", 1000);
            if (after != null) {
                request.queryParam("after", after);
            }
            Response page = request.get("/v1/subscriptions");
            page.then().statusCode(200);
            List<String> listed = page.path("subscriptions.kidc");
            seen += listed.size();
            after = page.path("next");
            if (after == null) {
                break;
            }
        }
        assertEquals(kidcs.size() + 2 + many.size(), seen);
    }

    @Test
    void lifeEventsBecomeNotificationsInOrderWithValuesOnlyUnderThePolicyBilledOnceOnFirstRead() throws Exception {
        Party names = subscriber(List.of("familyName", "givenName", "dateOfDeath"));
        Party bare = subscriber(List.of("sex"));
        Party notSubscribed = subscriber(List.of("familyName"));
        String kidc = newKidc();
        person(kidc, "DECEASED", sokDara(), LocalDate.of(2026, 11, 30), null);
        subscribe(names, kidc).then().statusCode(201);
        subscribe(bare, kidc).then().statusCode(201);
        String unknown = newKidc(); // not in the registry: it may be subscribed all the same
        subscribe(names, unknown).then().statusCode(201);

        var renamed = LifeEvents.event(kidc, 2, LifeEventType.NAME_CHANGED, null);
        var died = LifeEvents.event(kidc, 3, LifeEventType.DECEASED, null);
        var merged = LifeEvents.event(unknown, 5, LifeEventType.RETIRED, kidc);
        LifeEvents.publish(renamed, died, renamed, merged); // the name change twice: one notification

        await().atMost(WAIT).until(() -> all(names).size() == 3 && all(bare).size() == 2);
        List<JsonNode> forNames = all(names);
        JsonNode first = forNames.get(0);
        assertEquals("NAME_CHANGED", first.path("type").asText());
        assertEquals(kidc, first.path("kidc").asText());
        assertEquals("SOK", first.path("person").path("familyNameLatin").asText());
        assertEquals("ដារ៉ា", first.path("person").path("givenNameKh").asText());
        assertEquals("DECEASED", forNames.get(1).path("type").asText());
        assertEquals("2026-11-30", forNames.get(1).path("person").path("dateOfDeath").asText());
        assertEquals("RETIRED", forNames.get(2).path("type").asText());
        assertEquals(kidc, forNames.get(2).path("survivorKidc").asText());

        List<JsonNode> forBare = all(bare);
        assertEquals(List.of("NAME_CHANGED", "DECEASED"),
                forBare.stream().map(n -> n.path("type").asText()).toList());
        forBare.forEach(n -> assertTrue(n.path("person").isMissingNode(), "no registry value outside the policy"));
        assertEquals(0, all(notSubscribed).size());

        // read again: the same notifications, and still one billable NOTIFY lookup record each
        assertEquals(forNames, all(names));
        for (Party party : List.of(names, bare)) {
            List<JsonNode> records = lookupRecords(r -> party.contractId().equals(r.path("contractId").asText())
                    && "NOTIFY".equals(r.path("product").asText()));
            List<JsonNode> notifications = all(party);
            assertEquals(notifications.size(), records.size(), "one lookup record per notification");
            for (JsonNode notification : notifications) {
                String id = notification.path("notificationId").asText();
                List<JsonNode> its = records.stream()
                        .filter(r -> r.path("detail").asText().contains("notification=" + id)).toList();
                assertEquals(1, its.size());
                JsonNode record = its.get(0);
                assertTrue(record.path("billable").asBoolean());
                assertEquals(notification.path("kidc").asText(), record.path("subjectKidc").asText());
                assertEquals(notification.path("type").asText(), record.path("decision").asText());
                assertEquals(party.clientId(), record.path("clientId").asText());
            }
        }
        List<JsonNode> nameRecords = lookupRecords(r -> names.contractId().equals(r.path("contractId").asText()));
        assertTrue(nameRecords.stream().anyMatch(r -> r.path("fieldsDisclosed").toString().contains("familyName")));
    }

    @Test
    void theFeedPagesInOrderAndResumesFromItsCursor() throws Exception {
        Party bank = subscriber(List.of());
        String kidc = newKidc();
        subscribe(bank, kidc).then().statusCode(201);
        for (int sequence = 2; sequence <= 6; sequence++) {
            LifeEvents.publish(LifeEvents.event(kidc, sequence, LifeEventType.DOCUMENT_REVOKED, null));
        }
        await().atMost(WAIT).until(() -> all(bank).size() == 5);
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 3; page++) {
            JsonNode answer = feed(bank, cursor, 2);
            answer.path("notifications").forEach(n -> ids.add(n.path("notificationId").asText()));
            cursor = answer.path("next").asText();
        }
        assertEquals(all(bank).stream().map(n -> n.path("notificationId").asText()).toList(), ids);
        JsonNode end = feed(bank, cursor, 2);
        assertEquals(0, end.path("notifications").size());
        assertEquals(cursor, end.path("next").asText(), "at the end, the cursor stays where it is");
        LifeEvents.publish(LifeEvents.event(kidc, 7, LifeEventType.DECEASED, null));
        String resumed = cursor;
        await().atMost(WAIT).until(() -> feed(bank, resumed, 2).path("notifications").size() == 1);
        given().auth().oauth2(bank.token()).queryParam("after", "-1").get("/v1/notifications").then().statusCode(400);
        assertFalse(ids.isEmpty());
        assertNotNull(cursor);
    }

    /** A POST sent chunked (no Content-Length), as a client streaming a file sends it. */
    private static java.net.http.HttpResponse<String> chunked(Party party, String type, byte[] body) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + io.restassured.RestAssured.port + "/v1/subscriptions"))
                .header("Authorization", "Bearer " + party.token()).header("Content-Type", type)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
