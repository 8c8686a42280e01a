package kh.dds.api.http;

import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.lookupRecordsOf;
import static kh.dds.api.ApiTestSupport.party;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/**
 * A node driven far past what it admits at once answers every call with a {@code 200} or a {@code 503} — never
 * another 5xx, never a timeout — and each answered call has its one lookup record while the refused ones, turned away
 * at the door before any work, have none. The node's bound is lowered to 4 so that a test can cross it.
 */
@QuarkusTest
@TestProfile(OverloadTest.SmallNode.class)
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class OverloadTest {

    public static class SmallNode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api.http.max-in-flight", "4");
        }
    }

    private static final int CALLS = 600;

    @Test
    void pastItsBoundANodeAnswersOnly200Or503AndAuditsEveryAnswer() throws Exception {
        Party bank = party(Map.of("rateLimitPerSecond", 100_000));
        String kidc = activePerson();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/verifications");
        String body = "{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\",\"claims\":{\"familyName\":\"SOK\"}}";
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + bank.token()).header("X-Operator-Id", "teller-1")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        Set<String> answered = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(90, TimeUnit.SECONDS);
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 200) {
                answered.add(response.headers().firstValue("Lookup-Id").orElseThrow());
            } else if (response.statusCode() == 503) {
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(null), response.body());
                assertTrue(response.body().contains("overloaded"), response.body());
            }
        }
        assertEquals(Set.of(200, 503), statuses.keySet(), "only answers and refusals at the door: " + statuses);
        assertEquals(CALLS, statuses.values().stream().mapToInt(Integer::intValue).sum());

        // every answer audited once, and nothing recorded for a call turned away before it was read
        List<JsonNode> records = lookupRecordsOf(bank.contractId());
        Set<String> recorded = new HashSet<>();
        for (JsonNode record : records) {
            assertTrue(recorded.add(record.path("lookupId").asText()), "one record a call");
        }
        assertEquals(answered, recorded, statuses.toString());
    }
}
