package kh.dds.replica.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kh.dds.replica.ingest.BatchOutcome;

/**
 * What this replica instance has seen: its position in each partition, its counters as metrics, and the lag and held
 * figures last measured. The durable counters live in the database ({@code replica.replica_state}); these meters
 * count what this process applied since it started.
 */
@ApplicationScoped
public class ReplicaMonitor {

    private final Counter applied;
    private final Counter duplicates;
    private final Counter held;
    private final Counter deadLettered;
    private final Map<Integer, Position> positions = new ConcurrentHashMap<>();
    private final AtomicLong lagEvents = new AtomicLong();
    private final AtomicLong lagSeconds = new AtomicLong();
    private final AtomicLong heldNow = new AtomicLong();
    private final AtomicReference<Instant> lagMeasuredAt = new AtomicReference<>();
    private final Instant startedAt = Instant.now();

    public ReplicaMonitor(MeterRegistry registry) {
        applied = registry.counter("replica.events", "outcome", "applied");
        duplicates = registry.counter("replica.events", "outcome", "duplicate");
        held = registry.counter("replica.events", "outcome", "held");
        deadLettered = registry.counter("replica.events", "outcome", "dead_lettered");
        Gauge.builder("replica.lag.events", lagEvents, AtomicLong::get)
                .description("registry events published but not yet applied").register(registry);
        Gauge.builder("replica.lag.seconds", lagSeconds, AtomicLong::get)
                .description("age of the oldest registry event not yet applied (upper bound)").register(registry);
        Gauge.builder("replica.held.events", heldNow, AtomicLong::get)
                .description("events held behind a gap in their person's sequence").register(registry);
    }

    public void recorded(BatchOutcome outcome) {
        applied.increment(outcome.applied());
        duplicates.increment(outcome.duplicates());
        held.increment(outcome.held());
        deadLettered.increment(outcome.deadLettered());
    }

    /** The next offset this instance will read in a partition, and the broker timestamp of the last one it applied. */
    public void position(int partition, long nextOffset, long lastTimestampMillis) {
        positions.merge(partition, new Position(nextOffset, lastTimestampMillis),
                (old, now) -> now.nextOffset() >= old.nextOffset() ? now : old);
    }

    public Map<Integer, Position> positions() {
        return Map.copyOf(positions);
    }

    public void lag(long events, long seconds) {
        lagEvents.set(events);
        lagSeconds.set(seconds);
        lagMeasuredAt.set(Instant.now());
    }

    public void heldNow(long count) {
        heldNow.set(count);
    }

    public long lagEvents() {
        return lagEvents.get();
    }

    public long lagSeconds() {
        return lagSeconds.get();
    }

    public Instant lagMeasuredAt() {
        return lagMeasuredAt.get();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public record Position(long nextOffset, long lastTimestampMillis) {
    }
}
