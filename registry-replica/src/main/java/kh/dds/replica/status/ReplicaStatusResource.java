package kh.dds.replica.status;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import kh.dds.replica.ingest.HeldEvents;
import kh.dds.replica.snapshot.SnapshotStartup;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The replica's status for operators: how many persons it holds, what it has applied, ignored, held and
 * dead-lettered (durable counts, across restarts), and how far it is behind the registry. An internal endpoint: the
 * replica is not exposed outside the cluster (see k8s/ network policies).
 */
@Path("/v1/replica/status")
public class ReplicaStatusResource {

    private static final String STATE = """
            SELECT persons, applied, duplicates, held, dead_lettered, last_event_at FROM replica.replica_state
            WHERE id = 1""";

    private final Pool pool;
    private final ReplicaMonitor monitor;
    private final ReplicaLag lag;
    private final HeldEvents heldEvents;
    private final SnapshotStartup snapshot;

    public ReplicaStatusResource(Pool pool, ReplicaMonitor monitor, ReplicaLag lag, HeldEvents heldEvents,
                                 SnapshotStartup snapshot) {
        this.pool = pool;
        this.monitor = monitor;
        this.lag = lag;
        this.heldEvents = heldEvents;
        this.snapshot = snapshot;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The replica's counts, held events and lag behind the registry")
    public Uni<ReplicaStatus> status() {
        return pool.query(STATE).execute().map(rows -> rows.iterator().next())
                .flatMap(row -> heldEvents.summary().map(held -> status(row, held)));
    }

    private ReplicaStatus status(Row row, HeldEvents.HeldSummary held) {
        OffsetDateTime lastEventAt = row.getOffsetDateTime("last_event_at");
        var load = snapshot.lastLoad();
        return new ReplicaStatus(row.getLong("persons"), row.getLong("applied"), row.getLong("duplicates"),
                held.count(), row.getLong("held"), row.getLong("dead_lettered"),
                lastEventAt == null ? null : lastEventAt.toInstant(),
                monitor.lagEvents(), monitor.lagSeconds(), monitor.lagMeasuredAt(),
                held.oldestSince(), new Snapshot(snapshot.state(), load == null ? null : load.header().id(),
                        load == null ? null : load.persons(),
                        load == null ? null : load.took().toMillis() / 1000.0),
                lag.partitions());
    }

    /**
     * @param persons       persons with a readable record
     * @param applied       events applied, ever
     * @param duplicates    events ignored as duplicates, ever
     * @param held          events held behind a gap now
     * @param heldEver      events that were ever held
     * @param deadLettered  events sent to the dead-letter topic, ever
     * @param lastEventAt   when the newest registry event applied occurred: the replica's dataAsOf
     * @param lagEvents     events published and not yet applied
     * @param lagSeconds    age of the oldest event not yet applied
     */
    public record ReplicaStatus(long persons, long applied, long duplicates, long held, long heldEver,
                                long deadLettered, Instant lastEventAt, long lagEvents, long lagSeconds,
                                Instant lagMeasuredAt, Instant heldOldestSince, Snapshot snapshot,
                                List<ReplicaLag.PartitionLag> partitions) {
    }

    public record Snapshot(String state, String id, Long persons, Double seconds) {
    }
}
