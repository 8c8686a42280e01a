package kh.dds.replica.ingest;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import kh.dds.replica.person.PersonReplica;
import kh.dds.replica.status.ReplicaMonitor;
import org.jboss.logging.Logger;

/**
 * Keeps events held behind gaps visible and moving: reports them while they wait, and applies those whose gap has
 * been filled by something other than a new event of the same person (a snapshot load).
 */
@ApplicationScoped
public class HeldEvents {

    private static final Logger LOG = Logger.getLogger(HeldEvents.class);

    private static final String SUMMARY = """
            SELECT count(*) AS held, min(held_since) AS oldest,
                   (SELECT string_agg(kidc || '#' || sequence, ', ') FROM (
                        SELECT kidc, sequence FROM replica.held_event ORDER BY held_since LIMIT 5) f) AS first
            FROM replica.held_event""";

    private final Pool pool;
    private final PersonReplica persons;
    private final PoisonIsolation isolation;
    private final ReplicaMonitor monitor;

    public HeldEvents(Pool pool, PersonReplica persons, PoisonIsolation isolation, ReplicaMonitor monitor) {
        this.pool = pool;
        this.persons = persons;
        this.isolation = isolation;
        this.monitor = monitor;
    }

    public Uni<HeldSummary> summary() {
        return pool.query(SUMMARY).execute().map(rows -> {
            Row row = rows.iterator().next();
            var oldest = row.getOffsetDateTime("oldest");
            return new HeldSummary(row.getLong("held"), oldest == null ? null : oldest.toInstant(),
                    row.getString("first"));
        }).invoke(summary -> monitor.heldNow(summary.count()));
    }

    @Scheduled(every = "${replica.held-report-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> report() {
        return summary().invoke(summary -> {
            if (summary.count() > 0) {
                LOG.warnf("%d events held behind gaps, the oldest since %s (first: %s)", summary.count(),
                        summary.oldestSince(), summary.first());
            }
        }).replaceWithVoid();
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> drainScheduled() {
        return drain().replaceWithVoid();
    }

    /** Applies every held event whose turn has come; returns how many persons were drained. */
    public Uni<Integer> drain() {
        return pool.withConnection(connection -> persons.drainable(connection, 1000))
                .flatMap(kidcs -> kidcs.isEmpty() ? Uni.createFrom().item(0)
                        : isolation.drain(kidcs).invoke(monitor::recorded).map(outcome -> kidcs.size()))
                .flatMap(drained -> drained == 1000 ? drain().map(more -> drained + more)
                        : Uni.createFrom().item(drained));
    }

    public record HeldSummary(long count, java.time.Instant oldestSince, String first) {
    }
}
