package kh.dds.replica.snapshot;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import kh.dds.replica.ReplicaConfig;
import kh.dds.replica.ingest.HeldEvents;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Loads the configured snapshot once at start-up, with the event stream paused, then follows the stream from the
 * positions the snapshot reflects. The replica is not ready until the load is done. Loading while events flow would
 * also be correct (versions guard every write and held events are drained after the load); pausing saves the work.
 */
@ApplicationScoped
public class SnapshotStartup {

    private static final Logger LOG = Logger.getLogger(SnapshotStartup.class);
    private static final String CHANNEL = "person-events";

    private final ReplicaConfig config;
    private final SnapshotLoader loader;
    private final ChannelRegistry channels;
    private final HeldEvents heldEvents;
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final AtomicReference<String> state = new AtomicReference<>("none");
    private volatile SnapshotLoader.LoadResult lastLoad;

    public SnapshotStartup(ReplicaConfig config, SnapshotLoader loader, ChannelRegistry channels,
                           HeldEvents heldEvents) {
        this.config = config;
        this.loader = loader;
        this.channels = channels;
        this.heldEvents = heldEvents;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            positions.putAll(loader.positions(config.topic()));
        } catch (Exception e) {
            LOG.warnf("cannot read the positions of loaded snapshots: %s", e.toString());
        }
        String file = config.snapshotFile().filter(f -> !f.isBlank()).orElse(null);
        if (file == null) {
            return;
        }
        state.set("loading");
        List<PausableChannel> paused = pausables();
        paused.forEach(PausableChannel::pause);
        LOG.infof("loading the snapshot %s with %d consumer(s) of %s paused", file, paused.size(), CHANNEL);
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                lastLoad = loader.load(Path.of(file));
                positions.clear();
                positions.putAll(loader.positions(config.topic()));
                state.set("loaded");
            } catch (Exception e) {
                state.set("failed: " + e.getMessage());
                LOG.errorf("the snapshot %s could not be loaded: %s", file, e.getMessage());
            } finally {
                paused.forEach(PausableChannel::resume);
            }
            heldEvents.drain().subscribe().with(
                    drained -> LOG.infof("drained the held events of %d persons after the snapshot", drained),
                    failure -> LOG.warnf("draining held events failed: %s", failure.toString()));
        });
    }

    /** The channel's consumers: one, or one a concurrent copy ({@code person-events$1}, …) with concurrency. */
    private List<PausableChannel> pausables() {
        List<PausableChannel> found = new ArrayList<>();
        PausableChannel single = channels.getPausable(CHANNEL);
        if (single != null) {
            found.add(single);
        }
        for (int copy = 1; copy <= 16; copy++) {
            PausableChannel channel = channels.getPausable(CHANNEL + "$" + copy);
            if (channel != null) {
                found.add(channel);
            }
        }
        return found;
    }

    /** {@code none}, {@code loading}, {@code loaded} or {@code failed: reason}. */
    public String state() {
        return state.get();
    }

    public SnapshotLoader.LoadResult lastLoad() {
        return lastLoad;
    }

    /** The furthest position of each partition of the event topic that loaded snapshots reflect. */
    public Map<Integer, Long> positions() {
        return positions;
    }

    @Readiness
    @ApplicationScoped
    public static class SnapshotReadiness implements HealthCheck {

        private final SnapshotStartup startup;

        public SnapshotReadiness(SnapshotStartup startup) {
            this.startup = startup;
        }

        @Override
        public HealthCheckResponse call() {
            String state = startup.state();
            return HealthCheckResponse.named("snapshot").status(!state.equals("loading") && !state.startsWith("failed"))
                    .withData("state", state).build();
        }
    }
}
