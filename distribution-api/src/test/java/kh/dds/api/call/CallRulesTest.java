package kh.dds.api.call;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.lookupRecordsOf;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
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

    /** The counters' Redis: where quotas, billed calls and idempotency keys live. */
    @Inject
    @RedisClientName(UsageLimits.CLIENT)
    RedisDataSource redis;

    private static LocalDate phnomPenhToday() {
        return LocalDate.now(ZoneId.of("Asia/Phnom_Penh"));
    }

    private long billedOn(String contractId, LocalDate day) {
        String value = redis.value(String.class).get(UsageLimits.billedKey(UUID.fromString(contractId), day));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Test
    void theDayCounterHoldsTheAnsweredBillableCallsOnly() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        LocalDate firstDay = phnomPenhToday();

        verify(bank, kidc, null, "SOK").then().statusCode(200);
        verify(bank, kidc, null, "CHAN").then().statusCode(200);                  // a NO_MATCH is answered too
        verify(bank, kidc, "invoice-7", "SOK").then().statusCode(200);
        verify(bank, kidc, "invoice-7", "SOK").then().statusCode(200)             // replayed: not billed again
                .header("Idempotent-Replayed", "true");
        verify(bank, kidc, "invoice-7", "CHAN").then().statusCode(422);           // the key reused: refused
        given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"MARKETING\"}").post("/v1/verifications")
                .then().statusCode(403).body("type", equalTo("https://dds.gov.kh/problems/unknown-purpose"));
        given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"1000000029\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}").post("/v1/verifications")
                .then().statusCode(400).body("type", equalTo("https://dds.gov.kh/problems/invalid-kidc"));
        // admitted (a unit reserved), then not found: refused, and the unit given back
        given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1")
                .queryParam("purpose", "KYC_ACCOUNT_OPENING").get("/v1/persons/" + ApiTestSupport.newKidc())
                .then().statusCode(404);
        given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1")
                .queryParam("purpose", "KYC_ACCOUNT_OPENING").get("/v1/persons/" + kidc).then().statusCode(200);

        LocalDate lastDay = phnomPenhToday();
        List<JsonNode> records = lookupRecordsOf(bank.contractId());
        assertEquals(9, records.size(), "every call is audited");
        // what billing reconciles: per Phnom Penh day, the counter against the audited billable calls
        Map<LocalDate, Long> audited = records.stream().filter(r -> r.path("billable").asBoolean())
                .collect(Collectors.groupingBy(r -> LocalDate.ofInstant(Instant.parse(r.path("occurredAt").asText()),
                        ZoneId.of("Asia/Phnom_Penh")), Collectors.counting()));
        assertEquals(4, audited.values().stream().mapToLong(Long::longValue).sum(), "four answered, billable calls");
        Set<LocalDate> days = new TreeSet<>(List.of(firstDay, lastDay));    // two when the test runs over midnight
        for (LocalDate day : days) {
            assertEquals(audited.getOrDefault(day, 0L), billedOn(bank.contractId(), day),
                    "dds:billed:{contract}:" + day + " holds that day's answered billable calls");
        }
        String key = "dds:billed:" + bank.contractId() + ":" + lastDay;
        assertTrue(redis.key().ttl(key) > 60L * 24 * 3600, "kept as long as the quota counter");
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
        LocalDate firstDay = phnomPenhToday();
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
        assertEquals(3, new TreeSet<>(List.of(firstDay, phnomPenhToday())).stream()
                        .mapToLong(day -> billedOn(bank.contractId(), day)).sum(),
                "the calls the quota refused are not counted on the day either");
    }
}
