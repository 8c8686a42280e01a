package kh.dds.api.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import kh.dds.api.problem.Problems;

/**
 * {@code Idempotency-Key} (SPEC §4): a repeat within 24 h gets the first answer, byte for byte, and is billed once.
 * Keys are per contract ({@code dds:idem:{contract}:{sha-256 of the key}}) in Redis, shared by every node.
 *
 * <p>The first request claims the key with a short-lived {@code pending} marker; its answer replaces the marker for
 * 24 h once the answer is audited. A repeat while the first is running gets {@code 409 idempotency-in-progress};
 * a repeat with another request under the same key {@code 422 idempotency-key-reused}. Only answered calls (2xx)
 * are kept: a refused one (a rate limit, say) releases the key so that the retry is a fresh call.
 *
 * <p>Keys live in the counters' Redis with the quota counters ({@link UsageLimits#CLIENT}, {@code noeviction}): an
 * entry evicted by cache pressure would make a replay a fresh, billed call. When that Redis is full, a claim that
 * would write is refused ({@code 503 counters-unavailable}), while a replay — a read — is still answered.
 */
@ApplicationScoped
public class IdempotencyStore {

    /**
     * Reads before it writes: a full {@code noeviction} Redis refuses a script's first write, and a replay must not
     * depend on a write it does not need.
     */
    private static final String CLAIM = """
            local found = redis.call('GET', KEYS[1])
            if found then return found end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            return false""";
    private static final long PENDING_SECONDS = 60;
    private static final long KEPT_SECONDS = 24 * 3600;

    /** What the store holds under a key. */
    record Entry(String state, String fingerprint, Integer status, String body, String mediaType, String result,
                 List<String> fieldsDisclosed) {
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;

    public IdempotencyStore(@RedisClientName(UsageLimits.CLIENT) ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.redis = redis;
        this.mapper = mapper;
    }

    /** Claims the key for this request, or returns the first answer to replay; fails on a conflict. */
    public Uni<Optional<Answer>> claim(String contractId, String key, String request) {
        // the request itself (claims, a KIdC) is never stored: only its digest
        String fingerprint = sha256(request);
        String pending = write(new Entry("pending", fingerprint, null, null, null, null, null));
        return redis.execute("EVAL", CLAIM, "1", redisKey(contractId, key), pending, Long.toString(PENDING_SECONDS))
                .map(response -> {
                    if (response == null) {
                        return Optional.<Answer>empty();
                    }
                    Entry entry = read(response.toString());
                    if (!entry.fingerprint().equals(fingerprint)) {
                        throw Problems.idempotencyKeyReused();
                    }
                    if (!"done".equals(entry.state())) {
                        throw Problems.idempotencyInProgress();
                    }
                    return Optional.of(new Answer(entry.status(), entry.body(), entry.mediaType(), entry.result(),
                            entry.fieldsDisclosed()));
                })
                .onFailure().transform(UsageLimits::unavailable);
    }

    public Uni<Void> complete(String contractId, String key, String request, Answer answer) {
        String done = write(new Entry("done", sha256(request), answer.status(), answer.body(), answer.mediaType(),
                answer.result(), answer.fieldsDisclosed()));
        return redis.execute("SET", redisKey(contractId, key), done, "EX", Long.toString(KEPT_SECONDS)).replaceWithVoid();
    }

    public Uni<Void> release(String contractId, String key) {
        return redis.execute("DEL", redisKey(contractId, key)).replaceWithVoid();
    }

    private static String redisKey(String contractId, String key) {
        return "dds:idem:" + contractId + ":" + sha256(key);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Entry entry) {
        try {
            return mapper.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Entry read(String json) {
        try {
            return mapper.readValue(json, Entry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency entry", e);
        }
    }
}
