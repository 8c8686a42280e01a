package kh.dds.api.call;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.lookupRecordsOf;
import static kh.dds.api.ApiTestSupport.party;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/** Idempotency keys, rate limits and monthly quotas, counted in the Redis every node shares. */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class CallRulesTest {

    @Inject
    RedisDataSource redis;

    private static Response verify(Party party, String kidc, String idempotencyKey, String family) {
        var request = given().auth().oauth2(party.token()).header("X-Operator-Id", "teller-1")
                .contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\",\"claims\":{\"familyName\":\""
                        + family + "\"}}");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/verifications");
    }

    @Test
    void aRepeatWithTheSameKeyGetsTheFirstAnswerAndIsBilledOnce() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        Response first = verify(bank, kidc, "order-42", "SOK");
        first.then().statusCode(200);
        Response repeat = verify(bank, kidc, "order-42", "SOK");
        repeat.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), repeat.asString(), "the very same answer");

        List<JsonNode> records = lookupRecordsOf(bank.contractId());
        assertEquals(2, records.size(), "both calls are audited");
        assertEquals(1, records.stream().filter(r -> r.path("billable").asBoolean()).count(), "billed once");
        assertTrue(records.stream().anyMatch(r -> "REPLAYED".equals(r.path("outcome").asText())));

        verify(bank, kidc, "order-42", "CHAN").then().statusCode(422)
                .body("type", equalTo("https://dds.gov.kh/problems/idempotency-key-reused"));
    }

    @Test
    void anotherContractsKeyNeverReplaysThisContractsAnswer() throws Exception {
        Party first = party(Map.of());
        Party second = party(Map.of());
        String kidc = activePerson();
        Response mine = verify(first, kidc, "shared-key", "SOK");
        Response theirs = verify(second, kidc, "shared-key", "SOK");
        theirs.then().statusCode(200);
        assertNotEquals(mine.<String>path("verificationId"), theirs.<String>path("verificationId"));
        assertEquals(null, theirs.header("Idempotent-Replayed"));
    }

    @Test
    void beyondTheRateLimitCallsAreRefusedWithRetryAfterAndAudited() throws Exception {
        Party bank = party(Map.of("rateLimitPerSecond", 2));
        String kidc = activePerson();
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            Response response = verify(bank, kidc, null, "SOK");
            if (response.statusCode() == 429) {
                limited++;
                response.then().header("Retry-After", "1")
                        .body("type", equalTo("https://dds.gov.kh/problems/rate-limited"));
            } else {
                response.then().statusCode(200);
            }
        }
        assertTrue(limited > 0, "20 calls at a limit of 2 a second");
        List<JsonNode> records = lookupRecordsOf(bank.contractId());
        assertEquals(20, records.size());
        assertEquals(limited, records.stream().filter(r -> r.path("httpStatus").asInt() == 429).count());
    }

    @Test
    void theMonthlyQuotaCountsBilledCallsOnly() throws Exception {
        Party bank = party(Map.of("monthlyQuota", 3));
        String kidc = activePerson();
        given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"1\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}").post("/v1/verifications")
                .then().statusCode(400);
        verify(bank, kidc, null, "17/05").then().statusCode(200);
        verify(bank, kidc, null, "SOK").then().statusCode(200);
        verify(bank, kidc, null, "SOK").then().statusCode(200);
        Response over = verify(bank, kidc, null, "SOK");
        over.then().statusCode(429).body("type", equalTo("https://dds.gov.kh/problems/quota-exceeded"));
        assertTrue(Long.parseLong(over.header("Retry-After")) > 0);

        String month = YearMonth.now(ZoneId.of("Asia/Phnom_Penh")).toString();
        assertEquals("3", redis.value(String.class).get("dds:quota:" + bank.contractId() + ":" + month),
                "the counter holds the billed calls, which billing reads too");
        assertEquals(3, lookupRecordsOf(bank.contractId()).stream().filter(r -> r.path("billable").asBoolean())
                .count());
    }
}
