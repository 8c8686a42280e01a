package kh.dds.api.person;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Persons cached in Redis, shared by every node of the API, kept honest by the replica's change signals.
 *
 * <p>Two keys a person: {@code dds:person:{kidc}} holds {@code <version>|<json>}, and {@code dds:person-floor:{kidc}}
 * the highest version any change signal has announced. Both writes are Lua scripts, atomic in Redis:
 * <ul>
 *   <li>a <b>signal</b> raises the floor and evicts a cached copy below it;</li>
 *   <li>a <b>fill</b> (after a read from PostgreSQL) is refused when its version is below the floor or below what is
 *       cached — so a read that raced with a change, or came from a lagging read replica, cannot put an old
 *       version back after the signal evicted it.</li>
 * </ul>
 * The bound on staleness that follows: once the API has processed a person's change signal, no node answers with an
 * older version of that person. Until then (the signal's way from the replica's commit through Kafka), the old
 * version may be served; the status of the {@code person-changes} consumer (its lag) measures that window. Every
 * entry expires after {@link PersonCacheConfig#ttl()} regardless, and the floor lives twice as long as an entry.
 */
@ApplicationScoped
public class PersonCache {

    private static final String FILL = """
            local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
            local version = tonumber(ARGV[1])
            if version < floor then return 0 end
            local current = redis.call('GET', KEYS[1])
            if current then
              local cached = tonumber(string.match(current, '^(%d+)|'))
              if cached and cached >= version then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
            return 1""";

    private static final String SIGNAL = """
            local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
            local version = tonumber(ARGV[1])
            if version > floor then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2]) end
            local current = redis.call('GET', KEYS[1])
            if current then
              local cached = tonumber(string.match(current, '^(%d+)|'))
              if (not cached) or cached < version then redis.call('DEL', KEYS[1]) return 1 end
            end
            return 0""";

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final PersonCacheConfig config;
    private final Counter hits;
    private final Counter misses;
    private final Counter evictions;

    public PersonCache(ReactiveRedisDataSource redis, ObjectMapper mapper, PersonCacheConfig config,
                       MeterRegistry registry) {
        this.redis = redis;
        this.mapper = mapper;
        this.config = config;
        this.hits = registry.counter("api.person.cache", "result", "hit");
        this.misses = registry.counter("api.person.cache", "result", "miss");
        this.evictions = registry.counter("api.person.cache.evictions");
    }

    /** The cached person, unless absent or older than the newest version a change signal announced. */
    public Uni<Optional<ReplicaPerson>> get(String kidc) {
        return redis.execute("MGET", key(kidc), floorKey(kidc)).map(response -> {
            Response value = response.get(0);
            Response floor = response.get(1);
            if (value == null) {
                misses.increment();
                return Optional.<ReplicaPerson>empty();
            }
            String text = value.toString();
            int bar = text.indexOf('|');
            long version = Long.parseLong(text.substring(0, bar));
            if (floor != null && version < Long.parseLong(floor.toString())) {
                misses.increment();
                return Optional.<ReplicaPerson>empty();
            }
            hits.increment();
            return Optional.of(read(text.substring(bar + 1)));
        });
    }

    /** Caches a person read from the replica; returns false when a newer version is known (nothing is written). */
    public Uni<Boolean> fill(ReplicaPerson person) {
        return redis.execute("EVAL", FILL, "2", key(person.kidc()), floorKey(person.kidc()),
                        Long.toString(person.version()), write(person), Long.toString(config.ttl().toSeconds()))
                .map(response -> response.toLong() == 1);
    }

    /** A change signal: the replica holds this person at {@code version} now. Returns true when a copy was evicted. */
    public Uni<Boolean> changed(String kidc, long version) {
        return redis.execute("EVAL", SIGNAL, "2", key(kidc), floorKey(kidc), Long.toString(version),
                        Long.toString(config.ttl().toSeconds() * 2))
                .map(response -> {
                    boolean evicted = response.toLong() == 1;
                    if (evicted) {
                        evictions.increment();
                    }
                    return evicted;
                });
    }

    static String key(String kidc) {
        return "dds:person:" + kidc;
    }

    static String floorKey(String kidc) {
        return "dds:person-floor:" + kidc;
    }

    private String write(ReplicaPerson person) {
        try {
            return mapper.writeValueAsString(person);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot cache a person", e);
        }
    }

    private ReplicaPerson read(String json) {
        try {
            return mapper.readValue(json, ReplicaPerson.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable cached person", e);
        }
    }
}
