package kh.dds.api.bulk.work;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import kh.dds.api.bulk.BulkConfig;
import kh.dds.api.bulk.job.ChunkQueue;
import kh.dds.api.bulk.job.ChunkQueue.Claim;
import org.jboss.logging.Logger;

/**
 * The bulk workers of this node: {@code api.bulk.workers} threads of their own, each claiming a chunk of any queued
 * job at a time from the database and working it through ({@link ChunkWorker}). Every API node runs them, so that the
 * work is shared by however many nodes there are and a node's death leaves its chunks to the others once their lease
 * expires. They run beside the serving API rather than as a deployment of their own because each line must take the
 * interactive call's code path (its matcher, its person cache, its audit trail) and because a node's own interactive
 * load is what its workers yield to ({@link BulkThrottle}); a deployment with {@code api.bulk.workers} raised and no
 * traffic routed to it is a worker deployment, with no code of its own.
 */
@ApplicationScoped
public class BulkWorkers {

    private static final Logger LOG = Logger.getLogger(BulkWorkers.class);

    private final BulkConfig config;
    private final ChunkQueue queue;
    private final ChunkWorker worker;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong pendingLines = new AtomicLong();
    private final AtomicLong pendingChunks = new AtomicLong();
    private final AtomicLong oldestQueuedSeconds = new AtomicLong();
    private volatile boolean running;
    private volatile boolean paused;
    private final java.util.concurrent.atomic.AtomicInteger working = new java.util.concurrent.atomic.AtomicInteger();

    public BulkWorkers(BulkConfig config, ChunkQueue queue, ChunkWorker worker, MeterRegistry registry,
                       BulkThrottle throttle) {
        this.config = config;
        this.queue = queue;
        this.worker = worker;
        Gauge.builder("api.bulk.queue.lines", pendingLines, AtomicLong::get)
                .description("bulk lines waiting to be verified or audited, every node's").register(registry);
        Gauge.builder("api.bulk.queue.chunks", pendingChunks, AtomicLong::get).register(registry);
        Gauge.builder("api.bulk.oldest.queued.seconds", oldestQueuedSeconds, AtomicLong::get)
                .description("age of the oldest job waiting for its first chunk to be taken").register(registry);
        Gauge.builder("api.bulk.yields", throttle, BulkThrottle::yielded)
                .description("times bulk work waited for interactive calls on this node").register(registry);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < config.workers(); i++) {
            Thread thread = new Thread(this::run, "bulk-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        threads.forEach(Thread::interrupt);
    }

    private void run() {
        long backoff = 0;
        while (running) {
            if (paused) {
                sleep(config.pollInterval().toMillis());
                continue;
            }
            Optional<Claim> claim;
            try {
                claim = queue.claim(node, config.lease()).await().atMost(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                LOG.debugf("no bulk chunk could be claimed: %s", e.toString());
                claim = Optional.empty();
            }
            if (claim.isEmpty()) {
                sleep(config.pollInterval().toMillis());
                continue;
            }
            working.incrementAndGet();
            try {
                worker.work(claim.get());
                backoff = 0;
            } catch (RuntimeException e) {
                LOG.warnf("bulk job %s: chunk %d not finished, it will be tried again: %s", claim.get().jobId(),
                        claim.get().chunkNo(), e.toString());
                try {
                    queue.release(claim.get()).await().atMost(Duration.ofSeconds(10));
                } catch (RuntimeException released) {
                    LOG.debugf("the claim could not be released (its lease will expire): %s", released.toString());
                }
                backoff = Math.min(10_000, Math.max(200, backoff * 2));
                sleep(backoff);
            } finally {
                working.decrementAndGet();
            }
        }
    }

    /**
     * Stops (or resumes) this node taking chunks; a chunk being worked is finished first. For draining a node before
     * it is taken down, and for tests that need a job to stand still.
     */
    public void pause(boolean pause) {
        paused = pause;
    }

    /** No chunk is being worked on this node now. */
    public boolean idle() {
        return working.get() == 0;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The queue's depth for the metrics, every node's work together. */
    @Scheduled(every = "10s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    io.smallrye.mutiny.Uni<Void> measure() {
        return queue.depth().invoke(depth -> {
            pendingLines.set(depth.pendingLines());
            pendingChunks.set(depth.pendingChunks());
            oldestQueuedSeconds.set(depth.oldestQueued() == null ? 0
                    : Duration.between(depth.oldestQueued(), Instant.now()).toSeconds());
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
