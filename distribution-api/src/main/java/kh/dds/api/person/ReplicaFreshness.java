package kh.dds.api.person;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;
import kh.dds.api.concurrent.Contexts;

/**
 * The replica's {@code dataAsOf} as a whole (the last registry event it applied), for answers about no one person:
 * an unknown KIdC, statistics. Read at most once a second per node.
 */
@ApplicationScoped
public class ReplicaFreshness {

    private static final String READ = "SELECT last_event_at FROM replica.replica_state WHERE id = 1";
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private record Reading(Uni<Instant> value, long at) {
    }

    private final Pool pool;
    private final AtomicReference<Reading> reading = new AtomicReference<>();

    public ReplicaFreshness(@ReactiveDataSource("person-reads") Pool pool) {
        this.pool = pool;
    }

    public Uni<Instant> dataAsOf() {
        long now = System.nanoTime();
        Reading current = reading.get();
        if (current == null || now - current.at() > REFRESH_NANOS) {
            Reading fresh = new Reading(pool.query(READ).execute().map(rows -> {
                RowIterator<Row> iterator = rows.iterator();
                OffsetDateTime at = iterator.hasNext() ? iterator.next().getOffsetDateTime("last_event_at") : null;
                return at == null ? null : at.toInstant();
            }).onFailure().invoke(() -> reading.set(null)).memoize().indefinitely(), now);
            reading.set(fresh);
            current = fresh;
        }
        return Contexts.resumeHere(current.value());
    }
}
