package kh.dds.api.call;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.lookupRecordsOf;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/**
 * Quotas, billed counts and idempotency keys never silently reset: they live in the counters' Redis
 * ({@code noeviction}), which pressure on the person cache cannot reach; and a full counters' Redis refuses calls
 * rather than run them uncounted.
 *
 * <p>Both Redis servers here belong to this test alone ({@code ownRedis}): it changes their {@code maxmemory}, which
 * no other test may see.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS),
        @ResourceArg(name = "ownRedis", value = "cache,counters")})
class CountersEvictionTest {

    private static final ZoneId PHNOM_PENH = ZoneId.of("Asia/Phnom_Penh");

    /** The person cache's Redis: it may evict. */
    @Inject
    RedisDataSource cache;

    @Inject
    @RedisClientName(UsageLimits.CLIENT)
    RedisDataSource counters;

    @Test
    void fillingTheCachePastItsMaxmemoryLeavesQuotasAndIdempotencyKeysIntact() throws Exception {
        Party bank = party(Map.of("monthlyQuota", 3));
        String kidc = activePerson();
        LocalDate firstDay = LocalDate.now(PHNOM_PENH);
        Response first = verify(bank, kidc, "order-1", "SOK");
        first.then().statusCode(200);
        verify(bank, kidc, null, "SOK").then().statusCode(200);
        String quotaKey = "dds:quota:" + bank.contractId() + ":" + YearMonth.now(PHNOM_PENH);
        assertEquals("2", counters.value(String.class).get(quotaKey));

        long evicted = fillPastMaxmemory();
        assertTrue(evicted > 0, "the cache evicted keys: it was filled past its maxmemory");

        assertEquals("2", counters.value(String.class).get(quotaKey), "the quota counter is intact");
        Response replay = verify(bank, kidc, "order-1", "SOK");
        replay.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), replay.asString(), "the key's first answer is intact");
        verify(bank, kidc, null, "SOK").then().statusCode(200);
        verify(bank, kidc, null, "SOK").then().statusCode(429)
                .body("type", equalTo("https://dds.gov.kh/problems/quota-exceeded"));

        List<JsonNode> records = lookupRecordsOf(bank.contractId());
        assertEquals(5, records.size());
        assertEquals(3, records.stream().filter(r -> r.path("billable").asBoolean()).count(),
                "the replay is not billed again");
        assertEquals(3, billed(bank, firstDay), "the API's billed count, which billing reconciles, is intact");
    }

    @Test
    void aFullCountersRedisRefusesCallsWith503ButStillAnswersReplays() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        LocalDate firstDay = LocalDate.now(PHNOM_PENH);
        verify(bank, kidc, "order-1", "SOK").then().statusCode(200);

        counters.execute("CONFIG", "SET", "maxmemory", "1");    // noeviction: every write that may grow is refused
        try {
            for (String key : new String[] {"order-2", null}) {
                Response refused = verify(bank, kidc, key, "SOK");
                refused.then().statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "5")
                        .body("type", equalTo("https://dds.gov.kh/problems/counters-unavailable"));
                assertNotNull(refused.header("Lookup-Id"), "refused, and audited");
            }
            verify(bank, kidc, "order-1", "SOK").then().statusCode(200).header("Idempotent-Replayed", "true");
        } finally {
            counters.execute("CONFIG", "SET", "maxmemory", "0");
        }

        List<JsonNode> records = lookupRecordsOf(bank.contractId());
        assertEquals(4, records.size(), "every call is audited");
        assertEquals(2, records.stream().filter(r -> "FAILED".equals(r.path("outcome").asText())
                && r.path("httpStatus").asInt() == 503 && !r.path("billable").asBoolean()).count());
        assertEquals(1, records.stream().filter(r -> r.path("billable").asBoolean()).count(), "billed once");
        assertEquals(1, billed(bank, firstDay));

        Response fresh = verify(bank, kidc, "order-2", "SOK");
        fresh.then().statusCode(200);
        assertEquals(null, fresh.header("Idempotent-Replayed"), "the refused call's key was never kept");
        verify(bank, kidc, "order-2", "SOK").then().statusCode(200).header("Idempotent-Replayed", "true");
    }

    @Test
    void aCountersRedisThatMayEvictTakesTheNodeOutOfService() {
        // a node started for this class is ready once warmed (Warmup)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        counters.execute("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
        try {
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'counters-redis-eviction-policy' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'counters-redis-eviction-policy' }.data.maxmemory-policy",
                            equalTo("volatile-lru"));
        } finally {
            counters.execute("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * Sets the cache's {@code maxmemory} a little above what it holds, with an eviction policy, and writes until it
     * has evicted at least 500 keys; restores an unlimited cache afterwards.
     *
     * @return the keys evicted
     */
    private long fillPastMaxmemory() {
        long used = info("memory", "used_memory");
        long before = info("stats", "evicted_keys");
        cache.execute("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        cache.execute("CONFIG", "SET", "maxmemory", Long.toString(used + 2 * 1024 * 1024));
        try {
            String filler = "x".repeat(8 * 1024);
            for (int i = 0; i < 20_000 && info("stats", "evicted_keys") - before < 500; i++) {
                for (int j = 0; j < 50; j++) {
                    cache.value(String.class).set("dds:filler:" + UUID.randomUUID(), filler);
                }
            }
            return info("stats", "evicted_keys") - before;
        } finally {
            cache.execute("CONFIG", "SET", "maxmemory", "0");
        }
    }

    private long info(String section, String field) {
        String text = cache.execute("INFO", section).toString();
        return text.lines().filter(line -> line.startsWith(field + ":"))
                .map(line -> Long.parseLong(line.substring(field.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("INFO " + section + " has no " + field));
    }

    private long billed(Party bank, LocalDate firstDay) {
        return new TreeSet<>(List.of(firstDay, LocalDate.now(PHNOM_PENH))).stream()
                .map(day -> counters.value(String.class).get(UsageLimits.billedKey(UUID.fromString(bank.contractId()),
                        day)))
                .mapToLong(value -> value == null ? 0 : Long.parseLong(value)).sum();
    }

}
