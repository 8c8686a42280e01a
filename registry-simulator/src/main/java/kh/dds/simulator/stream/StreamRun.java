package kh.dds.simulator.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import kh.dds.simulator.delivery.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stream: paces {@link LifeEvents} at the target rate (sending asynchronously, never waiting per event),
 * prints a progress line every five seconds, and, with a state file, saves the ledger every few seconds and at the
 * end — including on SIGTERM, through a shutdown hook that lets the loop stop, wait for every acknowledgement, then
 * save.
 *
 * <p>A periodic save first waits for all events sent so far to be acknowledged, so a saved state never runs ahead of
 * the broker: after a crash (SIGKILL) the stream resumes from the last save and sends again, identically, the events
 * after it (a replica drops them as duplicates by sequence); after SIGTERM it resumes exactly where it stopped.
 */
public final class StreamRun {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRun.class);
    private static final long PROGRESS_EVERY = TimeUnit.SECONDS.toNanos(5);

    private final LifeEvents events;
    private final EventSink sink;
    private final double rate;
    private final long maxEvents;
    private final Duration maxDuration;
    private final Path stateFile;
    private final Duration stateInterval;
    private final String referenceDate;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /**
     * @param rate          events per second; 0 for as fast as possible
     * @param maxEvents     stop after this many events of this run; 0 for no limit
     * @param maxDuration   stop after this long; {@code null} for no limit
     * @param stateFile     where the ledger is saved; {@code null} for none
     */
    public StreamRun(LifeEvents events, EventSink sink, double rate, long maxEvents, Duration maxDuration,
                     Path stateFile, Duration stateInterval, String referenceDate) {
        this.events = events;
        this.sink = sink;
        this.rate = rate;
        this.maxEvents = maxEvents;
        this.maxDuration = maxDuration;
        this.stateFile = stateFile;
        this.stateInterval = stateInterval;
        this.referenceDate = referenceDate;
    }

    /** Asks the loop to stop after the current event (what SIGTERM does). */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** Runs until a limit or a stop; returns the process exit code (0, or 1 when an event could not be delivered). */
    public int run() {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            requestStop();
            try {
                if (!finished.await(60, TimeUnit.SECONDS)) {
                    LOG.warn("stream did not finish within 60 s of the stop signal");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "registry-simulator-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return loop();
        } finally {
            sink.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is waiting for the latch released above
            }
        }
    }

    private int loop() {
        RegistryLedger ledger = events.ledger();
        long firstEvent = ledger.nextEvent();
        LOG.info("stream to {}: from event #{}, {} persons, target {}, {}", sink.describe(), firstEvent,
                ledger.size(), rate > 0 ? String.format("%,.0f events/s", rate) : "as fast as possible",
                maxEvents > 0 ? maxEvents + " events" : maxDuration != null ? "for " + maxDuration.toSeconds() + " s"
                        : "until stopped");
        long start = System.nanoTime();
        long end = maxDuration == null ? Long.MAX_VALUE : start + maxDuration.toNanos();
        long nanosPerEvent = rate > 0 ? (long) (1e9 / rate) : 0;
        long saveEvery = stateInterval.toNanos();
        long nextProgress = start + PROGRESS_EVERY;
        long nextSave = start + saveEvery;
        long lastProgressAt = start;
        long lastProgressCount = 0;
        long generated = 0;
        while (!stopRequested.get() && (maxEvents <= 0 || generated < maxEvents)) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (nanosPerEvent > 0) {
                long due = start + (long) (generated * 1e9 / rate);
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
            }
            OutgoingEvent event = events.next();
            sink.send(event.key(), event.value());
            generated++;
            if (now >= nextProgress) {
                long acked = sink.acknowledged();
                double recent = (generated - lastProgressCount) * 1e9 / (now - lastProgressAt);
                LOG.info("sent {} events (acked {}), {} events/s over the last {} s, next event #{}, {} persons",
                        generated, acked, String.format("%,.0f", recent),
                        Math.round((now - lastProgressAt) / 1e9), ledger.nextEvent(), ledger.size());
                lastProgressAt = now;
                lastProgressCount = generated;
                nextProgress = now + PROGRESS_EVERY;
            }
            if (stateFile != null && now >= nextSave) {
                if (!flushAndCheck()) {
                    return 1;
                }
                save();
                nextSave = System.nanoTime() + saveEvery;
            }
            if ((generated & 0x3FF) == 0 && sink.failure() != null) {
                break;
            }
        }
        long stoppedAt = System.nanoTime();
        if (!flushAndCheck()) {
            return 1;
        }
        long ackedAt = System.nanoTime();
        if (stateFile != null) {
            save();
        }
        double seconds = (stoppedAt - start) / 1e9;
        LOG.info("stream {}: {} events in {} s ({} events/s), all {} acknowledged {} ms after the last send; "
                        + "next event #{}", stopRequested.get() ? "stopped" : "done", generated,
                String.format("%.1f", seconds), String.format("%,.0f", generated / Math.max(seconds, 1e-9)),
                sink.acknowledged(), (ackedAt - stoppedAt) / 1_000_000, ledger.nextEvent());
        Map<String, Long> byType = new TreeMap<>();
        events.counts().forEach((type, count) -> byType.put(type.name(), count));
        LOG.info("events by type: {}{}", byType,
                events.malformedCount() > 0 ? ", of which deliberately malformed: " + events.malformedCount() : "");
        return 0;
    }

    private boolean flushAndCheck() {
        sink.flush();
        Throwable failure = sink.failure();
        if (failure != null) {
            LOG.error("an event could not be delivered ({}); the state is left at its last save, so a restart "
                    + "sends again what may be missing", failure.toString());
            return false;
        }
        return true;
    }

    private void save() {
        try {
            LedgerFile.save(events.ledger(), referenceDate, stateFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the state to " + stateFile, e);
        }
    }
}
