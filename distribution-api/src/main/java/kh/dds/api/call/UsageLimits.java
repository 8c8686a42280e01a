package kh.dds.api.call;

import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.UUID;
import kh.dds.api.contract.Access;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.Problems;
import org.jboss.logging.Logger;
import kh.dds.schema.time.PhnomPenh;

/**
 * A contract's rate limit and monthly quota, counted in Redis so that they hold across every node of the API, and
 * the API's own daily count of billable calls, which billing reconciles against.
 *
 * <ul>
 *   <li><b>Rate</b>: calls per second in fixed one-second windows ({@code dds:rate:{contract}:{epoch second}}).
 *       Beyond the limit: {@code 429 rate-limited}, {@code Retry-After: 1}.</li>
 *   <li><b>Quota</b>: billable calls in the calendar month of Asia/Phnom_Penh ({@code dds:quota:{contract}:{yyyy-MM}},
 *       which billing reads too). Each admitted call reserves one unit; a call that ends unbilled (refused, failed,
 *       replayed) gives it back. Beyond the quota: {@code 429 quota-exceeded} until the month turns. A contract
 *       without a quota is counted all the same.</li>
 *   <li><b>Billed calls a day</b>: {@code dds:billed:{contract}:{yyyy-MM-dd}}, the Asia/Phnom_Penh calendar day of
 *       the call's receipt time (so a call that runs across midnight counts on the day it was received). A call the
 *       quota admits reserves one unit of it, and gives it back with its quota unit when it ends unbilled; once no
 *       call of the day is in flight the counter equals that day's answered billable calls, which billing compares
 *       with the audited billable count (SPEC §4.7). It lives as long as the quota counter (62 days).</li>
 * </ul>
 * Admission is one Lua script, and so is giving back: one round trip each, atomic.
 *
 * <p>The counters live in the counters' Redis ({@code quarkus.redis.counters.*}, {@link #CLIENT}), not in the
 * person cache's: that one may evict under memory pressure, and an evicted quota counter would hand a contract a
 * fresh month. The counters' Redis runs with {@code maxmemory-policy noeviction}; when it is full it refuses writes,
 * and a call it cannot count is refused with {@code 503 counters-unavailable} — never admitted uncounted.
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
            local billed = redis.call('INCR', KEYS[3])
            if billed == 1 then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
            return 0""";
    /** A refused call: counted in the rate window only (it reserves no quota). */
    private static final String COUNT = """
            local calls = redis.call('INCR', KEYS[1])
            if calls == 1 then redis.call('EXPIRE', KEYS[1], 2) end
            if calls > tonumber(ARGV[1]) then return 1 end
            return 0""";
    /** Both units back; a counter that is gone (expired) is not made again, without a TTL, at -1. */
    private static final String RELEASE = """
            for _, key in ipairs(KEYS) do
              if redis.call('EXISTS', key) == 1 then redis.call('DECR', key) end
            end
            return 0""";
    /**
     * A bulk chunk's lines (SPEC §4.3: the quota counts lines), reserved once per chunk: KEYS[1] holds what the chunk
     * was granted, so that a chunk verified again after its node died finds its first reservation — keeping at most
     * what it now wants, giving back the rest — instead of reserving again. Grants what the quota has left, up to
     * ARGV[1]; the rate limit does not apply (the workers pace bulk lines themselves).
     */
    private static final String RESERVE_LINES = """
            local wanted = tonumber(ARGV[1])
            local held = redis.call('GET', KEYS[1])
            if held then
              local keep = math.min(tonumber(held), wanted)
              local back = tonumber(held) - keep
              if back > 0 then
                if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DECRBY', KEYS[2], back) end
                if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('DECRBY', KEYS[3], back) end
                redis.call('SET', KEYS[1], keep, 'KEEPTTL')
              end
              return keep
            end
            local grant = wanted
            local quota = tonumber(ARGV[2])
            if quota >= 0 then
              local used = tonumber(redis.call('GET', KEYS[2]) or '0')
              grant = math.max(0, math.min(wanted, quota - used))
            end
            if redis.call('INCRBY', KEYS[2], grant) == grant then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
            if redis.call('INCRBY', KEYS[3], grant) == grant then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
            redis.call('SET', KEYS[1], grant, 'EX', ARGV[3])
            return grant""";
    /** A chunk's reservation given back whole (a cancelled chunk); once only: the reservation is deleted. */
    private static final String RELEASE_LINES = """
            local held = redis.call('GET', KEYS[1])
            if not held then return 0 end
            local back = tonumber(held)
            if back > 0 then
              if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DECRBY', KEYS[2], back) end
              if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('DECRBY', KEYS[3], back) end
            end
            redis.call('DEL', KEYS[1])
            return back""";
    /** Quota and day counters outlive their month long enough for billing to reconcile them. */
    private static final long QUOTA_TTL_SECONDS = 62L * 24 * 3600;

    /** The name of the counters' Redis client, shared with {@link IdempotencyStore} and billing. */
    public static final String CLIENT = "counters";

    private static final Logger LOG = Logger.getLogger(UsageLimits.class);

    private final ReactiveRedisDataSource redis;

    public UsageLimits(@RedisClientName(CLIENT) ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * A failure of the counters' Redis (full, away) as the problem to answer: the call is refused rather than run
     * uncounted. Problems the counting itself decided (rate, quota, a reused key) pass unchanged.
     */
    static Throwable unavailable(Throwable failure) {
        if (failure instanceof ApiProblem) {
            return failure;
        }
        LOG.warnf("the counters' Redis refused a write, the call is refused: %s", failure.toString());
        return Problems.countersUnavailable();
    }

    /** Admits the call or fails with the problem to answer; on success one quota unit and one day unit are reserved. */
    public Uni<Void> admit(Access.Terms contract, Instant at) {
        long second = at.getEpochSecond();
        long quota = contract.monthlyQuota() == null ? -1 : contract.monthlyQuota();
        return redis.execute("EVAL", ADMIT, "3", rateKey(contract, second), quotaKey(contract, at),
                        billedKey(contract.id(), PhnomPenh.day(at)),
                        Integer.toString(contract.rateLimitPerSecond()), Long.toString(quota),
                        Long.toString(QUOTA_TTL_SECONDS))
                .<Void>map(response -> {
                    switch (response.toInteger()) {
                        case 0 -> {
                            return null;
                        }
                        case 1 -> throw Problems.rateLimited(1);
                        default -> throw Problems.quotaExceeded(PhnomPenh.secondsToNextMonth(at));
                    }
                })
                .onFailure().transform(UsageLimits::unavailable);
    }

    /**
     * Counts a call refused before admission (a malformed request, a purpose the contract does not allow) in the
     * contract's rate window: each costs a durable lookup record, so they are limited like admitted calls. Fails with
     * {@code 429 rate-limited} beyond the limit. When the counters' Redis cannot count it, the call is refused for what
     * it is all the same (it runs nothing, so nothing is left uncounted that matters).
     */
    public Uni<Void> countRefused(Access.Terms contract, Instant at) {
        return redis.execute("EVAL", COUNT, "1", rateKey(contract, at.getEpochSecond()),
                        Integer.toString(contract.rateLimitPerSecond()))
                .<Void>map(response -> {
                    if (response.toInteger() != 0) {
                        throw Problems.rateLimited(1);
                    }
                    return null;
                })
                .onFailure(failure -> !(failure instanceof ApiProblem)).recoverWithItem(failure -> {
                    LOG.debugf("a refused call was not counted: %s", failure.toString());
                    return null;
                });
    }

    /** Gives back the quota unit and the day unit a call reserved and did not bill. */
    public Uni<Void> release(Access.Terms contract, Instant at) {
        return redis.execute("EVAL", RELEASE, "2", quotaKey(contract, at), billedKey(contract.id(), PhnomPenh.day(at)))
                .replaceWithVoid();
    }

    /**
     * Reserves up to {@code wanted} quota units (and billed-day units of {@code at}'s day) for the bulk chunk
     * {@code chunk}, once: a second call for the same chunk returns the first grant (or less, if it now wants less).
     * Gives the units granted; fewer than wanted when the month's quota has run out.
     */
    public Uni<Integer> reserveLines(Access.Terms contract, String chunk, int wanted, Instant at) {
        long quota = contract.monthlyQuota() == null ? -1 : contract.monthlyQuota();
        return redis.execute("EVAL", RESERVE_LINES, "3", linesKey(contract.id(), chunk), quotaKey(contract, at),
                        billedKey(contract.id(), PhnomPenh.day(at)), Integer.toString(wanted), Long.toString(quota),
                        Long.toString(QUOTA_TTL_SECONDS))
                .map(response -> response.toInteger())
                .onFailure().transform(UsageLimits::unavailable);
    }

    /** Gives back a bulk chunk's whole reservation, if it has one (a chunk cancelled after its reservation). */
    public Uni<Integer> releaseLines(UUID contractId, String chunk, Instant at) {
        YearMonth month = PhnomPenh.month(at);
        return redis.execute("EVAL", RELEASE_LINES, "3", linesKey(contractId, chunk),
                        "dds:quota:" + contractId + ":" + month, billedKey(contractId, PhnomPenh.day(at)))
                .map(response -> response.toInteger());
    }

    private static String linesKey(UUID contractId, String chunk) {
        return "dds:bulk-lines:" + contractId + ":" + chunk;
    }

    public static String quotaKey(Access.Terms contract, Instant at) {
        YearMonth month = PhnomPenh.month(at);
        return "dds:quota:" + contract.id() + ":" + month;
    }

    /** The count of a contract's billed calls received on {@code day} (Asia/Phnom_Penh), as billing reads it. */
    public static String billedKey(UUID contractId, LocalDate day) {
        return "dds:billed:" + contractId + ":" + day;
    }

    private static String rateKey(Access.Terms contract, long second) {
        return "dds:rate:" + contract.id() + ":" + second;
    }
}
