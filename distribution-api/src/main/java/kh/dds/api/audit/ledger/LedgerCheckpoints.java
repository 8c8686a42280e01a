package kh.dds.api.audit.ledger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kh.dds.schema.ledger.Checkpoint;
import kh.dds.schema.ledger.LedgerHash;

/**
 * Signed checkpoints of the lanes' heads: when a lane has chained {@code api.ledger.checkpoint-every} entries since its
 * last one, at least every {@code api.ledger.checkpoint-interval} when it moved, and on request. Each is read under
 * the lane's lock, so that it pins a head that is committed.
 */
@ApplicationScoped
public class LedgerCheckpoints {

    private static final String HEAD = "SELECT seq, head_hash FROM audit.lane WHERE lane = $1 FOR UPDATE";
    private static final String INSERT = """
            INSERT INTO audit.checkpoint (lane, seq, head_hash, records, at, key_id, signature)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (lane, seq) DO NOTHING""";
    private static final String LAST = "SELECT lane, max(seq) AS seq FROM audit.checkpoint GROUP BY lane";
    private static final String LANES = "SELECT lane, seq FROM audit.lane";
    private static final String LIST = """
            SELECT lane, seq, head_hash, records, at, key_id, signature FROM audit.checkpoint
            WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2) ORDER BY lane, seq""";

    private final Pool pool;
    private final LedgerKeys keys;
    private final LedgerConfig config;
    private final Map<Integer, Long> lastCheckpointed = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public LedgerCheckpoints(Pool pool, LedgerKeys keys, LedgerConfig config) {
        this.pool = pool;
        this.keys = keys;
        this.config = config;
    }

    /** Checkpoints the lanes among {@code heads} that chained enough entries since their last checkpoint. */
    Uni<Void> checkpointDue(Map<Integer, Long> heads) {
        return known().chain(() -> {
            List<Integer> due = heads.entrySet().stream()
                    .filter(head -> head.getValue() - lastCheckpointed.getOrDefault(head.getKey(), 0L)
                            >= config.checkpointEvery())
                    .map(Map.Entry::getKey).toList();
            return checkpointAll(due).replaceWithVoid();
        });
    }

    /** Checkpoints every lane that moved since its last checkpoint; returns the checkpoints made. */
    public Uni<List<Checkpoint>> checkpointMoved() {
        return known().chain(() -> pool.query(LANES).execute()).chain(rows -> {
            List<Integer> moved = new ArrayList<>();
            for (Row row : rows) {
                if (row.getLong("seq") > lastCheckpointed.getOrDefault((int) row.getShort("lane"), 0L)) {
                    moved.add((int) row.getShort("lane"));
                }
            }
            return checkpointAll(moved);
        });
    }

    /** Checkpoints one lane now (when it has entries at all). */
    public Uni<List<Checkpoint>> checkpoint(int lane) {
        return known().chain(() -> checkpointAll(List.of(lane)));
    }

    private Uni<List<Checkpoint>> checkpointAll(List<Integer> lanes) {
        if (lanes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Multi.createFrom().iterable(lanes).onItem().transformToUniAndConcatenate(this::checkpointLane)
                .filter(checkpoint -> checkpoint != null).collect().asList();
    }

    private Uni<Checkpoint> checkpointLane(int lane) {
        return pool.withTransaction(connection -> connection.preparedQuery(HEAD).execute(Tuple.of((short) lane))
                .chain(rows -> {
                    Row head = rows.iterator().next();
                    long seq = head.getLong("seq");
                    if (seq == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Checkpoint signed = keys.sign(new Checkpoint(lane, seq,
                            LedgerHash.hex(head.getBuffer("head_hash").getBytes()), seq,
                            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), keys.keyId(),
                            null));
                    return connection.preparedQuery(INSERT).execute(Tuple.from(new Object[] {(short) lane, seq,
                                    Buffer.buffer(LedgerHash.fromHex(signed.headHash())), signed.records(),
                                    signed.at().atOffset(ZoneOffset.UTC), signed.keyId(),
                                    Buffer.buffer(Base64.getDecoder().decode(signed.signature()))}))
                            .replaceWith(signed);
                }))
                .invoke(signed -> {
                    if (signed != null) {
                        lastCheckpointed.merge(lane, signed.seq(), Math::max);
                    }
                });
    }

    /** Every checkpoint signed in {@code [from, to)} (either may be null), as an outside party exports them. */
    public Uni<List<Checkpoint>> list(Instant from, Instant to) {
        return pool.preparedQuery(LIST).execute(Tuple.of(from == null ? null : from.atOffset(ZoneOffset.UTC),
                to == null ? null : to.atOffset(ZoneOffset.UTC))).map(rows -> {
                    List<Checkpoint> checkpoints = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        checkpoints.add(checkpoint(row));
                    }
                    return checkpoints;
                });
    }

    static Checkpoint checkpoint(Row row) {
        return new Checkpoint(row.getShort("lane"), row.getLong("seq"),
                LedgerHash.hex(row.getBuffer("head_hash").getBytes()), row.getLong("records"),
                row.getOffsetDateTime("at").toInstant(), row.getString("key_id"),
                Base64.getEncoder().encodeToString(row.getBuffer("signature").getBytes()));
    }

    private Uni<Void> known() {
        if (loaded) {
            return Uni.createFrom().voidItem();
        }
        return pool.query(LAST).execute().invoke(rows -> {
            for (Row row : rows) {
                lastCheckpointed.merge((int) row.getShort("lane"), row.getLong("seq"), Math::max);
            }
            loaded = true;
        }).replaceWithVoid();
    }
}
