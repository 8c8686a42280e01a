package kh.dds.api.call;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.YearMonth;
import kh.dds.api.contract.Access;
import kh.dds.api.problem.Problems;
import kh.dds.api.time.PhnomPenh;

/**
 * A contract's rate limit and monthly quota, counted in Redis so that they hold across every node of the API.
 *
 * <ul>
 *   <li><b>Rate</b>: calls per second in fixed one-second windows ({@code dds:rate:{contract}:{epoch second}}).
 *       Beyond the limit: {@code 429 rate-limited}, {@code Retry-After: 1}.</li>
 *   <li><b>Quota</b>: billable calls in the calendar month of Asia/Phnom_Penh ({@code dds:quota:{contract}:{yyyy-MM}},
 *       which billing reads too). Each admitted call reserves one unit; a call that ends unbilled (refused, failed,
 *       replayed) gives it back. Beyond the quota: {@code 429 quota-exceeded} until the month turns. A contract
 *       without a quota is counted all the same.</li>
 * </ul>
 * Both checks are one Lua script: one round trip, atomic.
 */
@ApplicationScoped
public class UsageLimits {

    private static final String ADMIT = """
            local calls = redis.call('INCR', KEYS[1])
            if calls == 1 then redis.call('EXPIRE', KEYS[1], 2) end
            if calls > tonumber(ARGV[1]) then return 1 end
            local used = redis.call('INCR', KEYS[2])
            if used == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
            local quota = tonumber(ARGV[2])
            if quota >= 0 and used > quota then
              redis.call('DECR', KEYS[2])
              return 2
            end
            return 0""";
    /** Quota counters outlive their month long enough for billing to reconcile them. */
    private static final long QUOTA_TTL_SECONDS = 62L * 24 * 3600;

    private final ReactiveRedisDataSource redis;

    public UsageLimits(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Admits the call or fails with the problem to answer; on success one quota unit is reserved. */
    public Uni<Void> admit(Access.Terms contract, Instant at) {
        long second = at.getEpochSecond();
        long quota = contract.monthlyQuota() == null ? -1 : contract.monthlyQuota();
        return redis.execute("EVAL", ADMIT, "2", rateKey(contract, second), quotaKey(contract, at),
                        Integer.toString(contract.rateLimitPerSecond()), Long.toString(quota),
                        Long.toString(QUOTA_TTL_SECONDS))
                .map(response -> {
                    switch (response.toInteger()) {
                        case 0 -> {
                            return null;
                        }
                        case 1 -> throw Problems.rateLimited(1);
                        default -> throw Problems.quotaExceeded(PhnomPenh.secondsToNextMonth(at));
                    }
                });
    }

    /** Gives back the unit a call reserved and did not bill. */
    public Uni<Void> release(Access.Terms contract, Instant at) {
        return redis.execute("DECR", quotaKey(contract, at)).replaceWithVoid();
    }

    public static String quotaKey(Access.Terms contract, Instant at) {
        YearMonth month = PhnomPenh.month(at);
        return "dds:quota:" + contract.id() + ":" + month;
    }

    private static String rateKey(Access.Terms contract, long second) {
        return "dds:rate:" + contract.id() + ":" + second;
    }
}
