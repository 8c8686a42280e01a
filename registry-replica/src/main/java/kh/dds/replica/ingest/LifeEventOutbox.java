package kh.dds.replica.ingest;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.LifeEventType;
import org.jboss.logging.Logger;

/**
 * The replica's outbox of life events ({@code replica.life_event_outbox}). A life event is written in the very
 * transaction that applies its registry event, so it exists if and only if the change does; it is published on
 * {@code registry.person-notifications} after the commit and deleted once the broker has acknowledged it.
 *
 * <p>Why an outbox rather than the change signal's way (sent after the commit, repaired by the redelivered batch):
 * a redelivered event is a duplicate, and a duplicate is not applied again, so nothing would tell the replica that
 * its life event was never published. The outbox remembers it. A crash after the publication and before the delete
 * publishes it again under the same {@link LifeEvent#eventId()}: readers deduplicate by it.
 *
 * <p>Order: a person's rows are published in id order, and a person's rows are only ever written under the lock of
 * its person row, so a person's life events reach the topic (key = KIdC, one partition) in sequence order. A
 * person's leftovers (from a crash) are published before its new ones, by the batch that touches it next or by the
 * sweep.
 */
@ApplicationScoped
public class LifeEventOutbox {

    private static final Logger LOG = Logger.getLogger(LifeEventOutbox.class);

    private static final String STAGE = """
            INSERT INTO replica.life_event_outbox (event_id, kidc, sequence, type, occurred_at, data_as_of,
                                                   survivor_kidc)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[],
                                 $6::timestamptz[], $7::text[])
            ON CONFLICT (event_id) DO NOTHING""";

    private static final String COLUMNS = "id, event_id, kidc, sequence, type, occurred_at, data_as_of, survivor_kidc";

    private static final String PENDING_OF = "SELECT " + COLUMNS
            + " FROM replica.life_event_outbox WHERE kidc = ANY($1) ORDER BY id";

    private static final String LEFT_OVER = "SELECT " + COLUMNS
            + " FROM replica.life_event_outbox WHERE created_at < now() - interval '10 seconds' ORDER BY id LIMIT 5000";

    private static final String DELETE = "DELETE FROM replica.life_event_outbox WHERE id = ANY($1)";

    private final Pool pool;
    private final ReplicaPublisher publisher;

    public LifeEventOutbox(Pool pool, ReplicaPublisher publisher) {
        this.pool = pool;
        this.publisher = publisher;
    }

    /** Writes the life events in the transaction that applies their registry events. */
    public Uni<Void> stage(SqlConnection tx, List<LifeEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] kidcs = new String[n];
        Long[] sequences = new Long[n];
        String[] types = new String[n];
        java.time.OffsetDateTime[] occurred = new java.time.OffsetDateTime[n];
        java.time.OffsetDateTime[] asOf = new java.time.OffsetDateTime[n];
        String[] survivors = new String[n];
        for (int i = 0; i < n; i++) {
            LifeEvent event = events.get(i);
            ids[i] = event.eventId();
            kidcs[i] = event.kidc();
            sequences[i] = event.sequence();
            types[i] = event.type().name();
            occurred[i] = event.occurredAt().atOffset(ZoneOffset.UTC);
            asOf[i] = event.dataAsOf().atOffset(ZoneOffset.UTC);
            survivors[i] = event.survivorKidc();
        }
        return tx.preparedQuery(STAGE)
                .execute(Tuple.tuple(List.of(ids, kidcs, sequences, types, occurred, asOf, survivors)))
                .replaceWithVoid();
    }

    /** Publishes every waiting life event of these persons (after the commit that staged them), then deletes them. */
    public Uni<Void> publishFor(Collection<String> kidcs) {
        if (kidcs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(PENDING_OF).execute(Tuple.of(kidcs.toArray(String[]::new)))
                .flatMap(this::publishAndDelete).replaceWithVoid();
    }

    /**
     * Publishes what a crash left behind (rows older than any batch still in flight). A failure is logged and tried
     * again at the next sweep.
     */
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return pool.query(LEFT_OVER).execute().flatMap(this::publishAndDelete)
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("published %d life events left in the outbox", count);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("the life-event outbox sweep failed, trying again: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Integer> publishAndDelete(RowSet<Row> rows) {
        List<LifeEvent> events = new ArrayList<>(rows.size());
        List<Long> ids = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ids.add(row.getLong("id"));
            events.add(new LifeEvent(row.getUUID("event_id"), row.getString("kidc"), row.getLong("sequence"),
                    LifeEventType.valueOf(row.getString("type")), row.getOffsetDateTime("occurred_at").toInstant(),
                    row.getOffsetDateTime("data_as_of").toInstant(), row.getString("survivor_kidc")));
        }
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return publisher.lifeEvents(events)
                .chain(() -> pool.preparedQuery(DELETE).execute(Tuple.of(ids.toArray(Long[]::new))))
                .replaceWith(events.size());
    }
}
