package kh.dds.api.bulk;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bulk verification's settings ({@code api.bulk.*}); a contract may set its own limits (table {@code contract}). */
@ConfigMapping(prefix = "api.bulk")
public interface BulkConfig {

    /** Lines a chunk holds: the unit written at upload, claimed by a worker, verified and audited together. 2000. */
    @WithDefault("2000")
    int chunkLines();

    /** Chunks one node works on at once (its bulk worker threads). 2. */
    @WithDefault("2")
    int workers();

    /**
     * Lines of a chunk verified together by a worker: their persons read in one query, then matched; the worker looks
     * at the throttle and renews its lease between batches. 1000.
     */
    @WithDefault("1000")
    int batchLines();

    /** How long a claimed chunk stays with its node; past it, another node takes the chunk over. 60s. */
    @WithDefault("60s")
    Duration lease();

    /** How long an idle worker waits before looking for work again. 500ms. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** A RECEIVING job whose upload has been silent this long is FAILED ({@code upload-interrupted}). 5m. */
    @WithDefault("5m")
    Duration uploadTimeout();

    /** Jobs a contract may have open (receiving, queued or running) at once, unless its contract says otherwise. 3. */
    @WithDefault("3")
    int maxOpenJobs();

    /** Lines a job may hold, unless its contract says otherwise. 50,000,000. */
    @WithDefault("50000000")
    long maxLinesPerJob();

    /**
     * The largest upload, in bytes (tens of millions of lines of ~150 bytes). It is also the HTTP server's overall
     * bound ({@code quarkus.http.limits.max-body-size}); {@code BodyLimits} keeps every other endpoint to its own.
     * 8G.
     */
    @WithDefault("8589934592")
    long maxBodyBytes();

    /**
     * Bulk lines verified per second at most by one node, before any yielding to interactive calls: a bound on what
     * one node's bulk work asks of the database and the broker (a 2-core node verifies fewer; yielding is what keeps
     * interactive calls fast). 20000.
     */
    @WithDefault("20000")
    int maxLinesPerSecond();

    /**
     * Interactive personal-data calls in flight on this node above which bulk work pauses (it yields: a short sleep
     * per batch of lines, growing while the load stays). 4.
     */
    @WithDefault("4")
    int yieldAboveInteractive();

    /** When expired jobs are deleted and silent uploads failed. Every minute. */
    @WithDefault("0 * * * * ?")
    String housekeepingCron();
}
