package kh.dds.api.bulk.work;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import kh.dds.api.bulk.BulkConfig;

/**
 * How bulk work yields to interactive verification on one node (SPEC §4.3: a running job never starves interactive
 * calls). Two brakes, both on the bulk workers' own threads, never on a request's:
 * <ul>
 *   <li>a token bucket of {@code api.bulk.max-lines-per-second}: the node's bulk lines a second, at most, whatever
 *       else it does;</li>
 *   <li>yielding: while more than {@code api.bulk.yield-above-interactive} interactive personal-data calls are in
 *       flight on the node ({@link InteractiveLoad}), each batch of bulk lines waits first — 2 ms, doubling while the
 *       load stays, up to 200 ms — so that the interactive calls get the cores, the database pool and the Redis
 *       connections; the wait shrinks again as soon as the load falls. A batch waits {@link #MAX_YIELD_NANOS} at most:
 *       bulk work is slowed by a sustained interactive load, never stopped (and its chunk's lease, renewed between
 *       batches, is never lost to the wait).</li>
 * </ul>
 * The bulk workers are few ({@code api.bulk.workers}, each with one batch of {@code api.bulk.batch-lines} lines at a
 * time: one replica query, then matching on the worker's own thread), so bulk work never holds more than a bounded
 * share of the pools even at full speed.
 */
@ApplicationScoped
public class BulkThrottle {

    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** The longest a batch yields to interactive load. */
    static final long MAX_YIELD_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final InteractiveLoad load;
    private final int yieldAbove;
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private long backoff = MIN_BACKOFF_NANOS;
    private long yielded;

    public BulkThrottle(BulkConfig config, InteractiveLoad load) {
        this.load = load;
        this.yieldAbove = config.yieldAboveInteractive();
        this.perNano = config.maxLinesPerSecond() / 1e9;
        this.capacity = Math.max(1, config.maxLinesPerSecond() / 10.0);
        this.tokens = capacity;
    }

    /** Waits until {@code lines} bulk lines may go: first yielding to interactive load, then for the bucket. */
    public void acquire(int lines) {
        long yieldingSince = System.nanoTime();
        while (load.inFlight() > yieldAbove && System.nanoTime() - yieldingSince < MAX_YIELD_NANOS) {
            long wait;
            synchronized (this) {
                wait = backoff;
                backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
                yielded++;
            }
            LockSupport.parkNanos(wait);
        }
        synchronized (this) {
            backoff = MIN_BACKOFF_NANOS;
        }
        while (true) {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
                refilledAt = now;
                if (tokens >= lines || tokens >= capacity) {
                    tokens -= lines;
                    return;
                }
                wait = (long) ((lines - tokens) / perNano);
            }
            LockSupport.parkNanos(Math.min(wait, MAX_BACKOFF_NANOS));
        }
    }

    /** How many times bulk work has waited for interactive calls (a metric). */
    public synchronized long yielded() {
        return yielded;
    }
}
