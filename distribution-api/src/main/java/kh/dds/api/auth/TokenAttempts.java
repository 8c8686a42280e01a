package kh.dds.api.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import kh.dds.schema.text.SafeText;
import org.jboss.logging.Logger;

/**
 * Failed attempts at the token endpoint, per client id and per source address, counted in Redis in fixed windows of
 * {@code api.token.attempts.window} so that the limits hold across every node ({@code dds:token-fail:client:…} and
 * {@code dds:token-fail:address:…}, each living one window).
 *
 * <p>An attempt is admitted with one {@code MGET} of both counters, before the database is read or a secret hashed:
 * once either is at its limit the attempt is refused ({@code 429}, {@code Retry-After} the rest of the window),
 * right secret or not, for otherwise the limit would not limit guessing. A failure counts in both with one Lua
 * script. Attempts already admitted when the limit is reached still run: the overshoot is bounded by the requests
 * in flight, which the checking pool bounds.
 *
 * <p>The price: whoever knows a client id can keep that client from renewing for a window at a time by failing on
 * purpose. Client ids are not published (only the client and the administrators know them), the per-address limit
 * stops one source from doing it for long, and a token lives 5 minutes, longer than a window.
 *
 * <p>When Redis cannot be reached the attempt is admitted (logged once a minute): the limits protect the service,
 * and failing closed would stop every relying party's renewals for the length of a Redis outage. The bounded
 * checking pool still holds.
 */
@ApplicationScoped
public class TokenAttempts {

    private static final Logger LOG = Logger.getLogger(TokenAttempts.class);
    private static final String FAILED = """
            for _, key in ipairs(KEYS) do
              if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
            end
            return 0""";
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final ReactiveRedisDataSource redis;
    private final TokenConfig.Attempts limits;
    private final long windowSeconds;
    private final AtomicLong lastLogged = new AtomicLong();

    public TokenAttempts(ReactiveRedisDataSource redis, TokenConfig config) {
        this.redis = redis;
        this.limits = config.attempts();
        this.windowSeconds = Math.max(1, limits.window().toSeconds());
    }

    /** Admits an attempt, or fails with {@link TokenRefused#tooManyAttempts} while either counter is at its limit. */
    public Uni<Void> admit(String clientId, String address) {
        Instant now = Instant.now();
        long window = now.getEpochSecond() / windowSeconds;
        return redis.execute("MGET", clientKey(clientId, window), addressKey(address, window))
                .onFailure().recoverWithItem(failure -> {
                    unavailable(failure);
                    return null;
                })
                .map(counts -> {
                    if (counts != null && (count(counts.get(0)) >= limits.perClient()
                            || count(counts.get(1)) >= limits.perAddress())) {
                        long retryAfter = (window + 1) * windowSeconds - now.getEpochSecond();
                        throw TokenRefused.tooManyAttempts(Math.max(1, retryAfter));
                    }
                    return null;
                });
    }

    /** Counts a failed attempt against both the client id and the address. */
    public Uni<Void> failed(String clientId, String address) {
        long window = Instant.now().getEpochSecond() / windowSeconds;
        return redis.execute("EVAL", FAILED, "2", clientKey(clientId, window), addressKey(address, window),
                        Long.toString(windowSeconds))
                .onFailure().recoverWithItem(failure -> {
                    unavailable(failure);
                    return null;
                })
                .replaceWithVoid();
    }

    /**
     * The unit an address is counted by: an IPv4 address itself, an IPv6 address's /64 (one subscriber's usual
     * allocation, within which a sender can pick any address it likes).
     */
    static String addressUnit(String address) {
        if (address == null || address.isEmpty()) {
            return "unknown";
        }
        if (address.length() > MAX_ADDRESS || SafeText.problemWith(address, MAX_ADDRESS) != null) {
            // no address is this long or holds such characters: a forged X-Forwarded-For, counted as one sender
            return "malformed";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1)
                    : address).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : address;
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** The longest textual IPv6 address with a zone, bracketed, is well under this. */
    private static final int MAX_ADDRESS = 64;

    private static String clientKey(String clientId, long window) {
        return "dds:token-fail:client:" + clientId + ":" + window;
    }

    private static String addressKey(String address, long window) {
        return "dds:token-fail:address:" + addressUnit(address) + ":" + window;
    }

    private static long count(Response value) {
        return value == null ? 0 : value.toLong();
    }

    private void unavailable(Throwable failure) {
        long now = System.currentTimeMillis();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_MILLIS && lastLogged.compareAndSet(last, now)) {
            LOG.warnf("token attempts are not limited while Redis cannot be reached: %s", failure.toString());
        }
    }
}
