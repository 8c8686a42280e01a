package kh.dds.api.audit.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import kh.dds.schema.ledger.LedgerEntry;
import kh.dds.schema.ledger.LedgerHash;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * The audit ledger in PostgreSQL (schema {@code audit}): appends lookup records exactly once, each chained into its
 * lane, and signs checkpoints of the lanes' heads.
 *
 * <p><b>Exactly once, by lookup id.</b> A batch is one transaction. Each lane's head row is locked
 * ({@code FOR UPDATE}); a record whose lookup id the ledger already holds — a redelivery after a crash, the same
 * record sent twice — is skipped; the rest are chained from the head and inserted, and the head moves, in that same
 * transaction. A crash before the commit leaves nothing; after it, the redelivery is skipped. Two nodes that both
 * believe they own a partition during a rebalance serialise on the lane's lock. Kafka offsets are not trusted for
 * this (a topic recreated, or offsets reset, starts again at 0); the head keeps the last one for observation.
 *
 * <p><b>Partitions.</b> {@code audit.lookup_record} is partitioned by calendar month in Asia/Phnom_Penh; a month's
 * partition is created when its first record arrives (and ahead of time by {@link LedgerMaintenance}).
 */
@ApplicationScoped
public class AuditLedger {

    private static final Logger LOG = Logger.getLogger(AuditLedger.class);

    private static final String NEW_LANE = """
            INSERT INTO audit.lane (lane, seq, head_hash, kafka_offset, updated_at) VALUES ($1, 0, $2, -1, now())
            ON CONFLICT (lane) DO NOTHING""";
    private static final String LOCK_LANE = "SELECT seq, head_hash, kafka_offset FROM audit.lane WHERE lane = $1 FOR UPDATE";
    /** The batch's time span bounds the months searched (partitions pruned at execution). */
    private static final String KNOWN = """
            SELECT lookup_id FROM audit.lookup_record
            WHERE occurred_at >= $2 AND occurred_at <= $3 AND lookup_id = ANY($1)""";
    private static final String INSERT = """
            INSERT INTO audit.lookup_record (occurred_at, lookup_id, lane, seq, contract_id, client_id, operator_id,
                purpose, product, subject_kidc, outcome, decision, fields_disclosed, http_status, billable,
                latency_micros, prev_hash, hash)
            SELECT r.occurred_at, r.lookup_id, $3, r.seq, r.contract_id, r.client_id, r.operator_id, r.purpose,
                   r.product, r.subject_kidc, r.outcome, r.decision, string_to_array(r.fields, ','), r.http_status,
                   r.billable, r.latency_micros, r.prev_hash, r.hash
            FROM unnest($1::timestamptz[], $2::uuid[], $4::bigint[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::smallint[],
                        $15::boolean[], $16::bigint[], $17::bytea[], $18::bytea[])
                 AS r(occurred_at, lookup_id, seq, contract_id, client_id, operator_id, purpose, product,
                      subject_kidc, outcome, decision, fields, http_status, billable, latency_micros, prev_hash, hash)""";
    private static final String MOVE_HEAD = """
            UPDATE audit.lane SET seq = $2, head_hash = $3, kafka_offset = $4, updated_at = now() WHERE lane = $1""";

    /** What an append did. */
    public record Appended(int chained, int skipped, Map<Integer, Long> heads) {
    }

    private final Pool pool;
    private final LedgerCheckpoints checkpoints;
    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();
    private final Counter chained;
    private final Counter skipped;

    public AuditLedger(Pool pool, LedgerCheckpoints checkpoints, MeterRegistry registry) {
        this.pool = pool;
        this.checkpoints = checkpoints;
        this.chained = registry.counter("api.ledger.records", "result", "chained");
        this.skipped = registry.counter("api.ledger.records", "result", "duplicate");
    }

    public Uni<Appended> append(List<LaneRecord> batch) {
        Map<Integer, List<LaneRecord>> byLane = new TreeMap<>();
        Set<YearMonth> months = new HashSet<>();
        for (LaneRecord record : batch) {
            byLane.computeIfAbsent(record.lane(), l -> new ArrayList<>()).add(record);
            months.add(PhnomPenh.month(record.record().occurredAt()));
        }
        return ensurePartitions(months)
                .chain(() -> pool.withTransaction(connection -> Multi.createFrom().iterable(byLane.entrySet())
                        .onItem().transformToUniAndConcatenate(lane -> appendLane(connection, lane.getKey(),
                                lane.getValue()))
                        .collect().asList()))
                .map(results -> {
                    int added = 0;
                    Map<Integer, Long> heads = new HashMap<>();
                    for (LaneResult result : results) {
                        added += result.chained();
                        heads.put(result.lane(), result.head());
                    }
                    chained.increment(added);
                    skipped.increment(batch.size() - added);
                    return new Appended(added, batch.size() - added, heads);
                })
                .call(appended -> checkpoints.checkpointDue(appended.heads()));
    }

    /** What one lane's part of a batch did. */
    private record LaneResult(int lane, int chained, long head) {
    }

    private Uni<LaneResult> appendLane(SqlConnection connection, int lane, List<LaneRecord> arrived) {
        List<LaneRecord> records = new ArrayList<>(arrived);
        records.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        List<LookupRecord> storable = records.stream().map(r -> storable(r.record())).toList();
        UUID[] ids = new UUID[storable.size()];
        Instant earliest = storable.get(0).occurredAt();
        Instant latest = earliest;
        for (int i = 0; i < ids.length; i++) {
            LookupRecord record = storable.get(i);
            ids[i] = UUID.fromString(record.lookupId());
            earliest = record.occurredAt().isBefore(earliest) ? record.occurredAt() : earliest;
            latest = record.occurredAt().isAfter(latest) ? record.occurredAt() : latest;
        }
        Tuple known = Tuple.of(ids, earliest.atOffset(ZoneOffset.UTC), latest.atOffset(ZoneOffset.UTC));
        long lastOffset = records.get(records.size() - 1).offset();
        return connection.preparedQuery(NEW_LANE).execute(Tuple.of((short) lane, Buffer.buffer(LedgerHash.GENESIS)))
                .chain(() -> connection.preparedQuery(LOCK_LANE).execute(Tuple.of((short) lane)))
                .chain(heads -> connection.preparedQuery(KNOWN).execute(known).chain(held -> {
                    Row head = heads.iterator().next();
                    Set<UUID> seen = new HashSet<>();
                    for (Row row : held) {
                        seen.add(row.getUUID("lookup_id"));
                    }
                    long seq = head.getLong("seq");
                    byte[] previous = head.getBuffer("head_hash").getBytes();
                    List<LedgerEntry> entries = new ArrayList<>(storable.size());
                    for (int i = 0; i < ids.length; i++) {
                        if (seen.add(ids[i])) {
                            LedgerEntry entry = LedgerEntry.chain(lane, ++seq, storable.get(i), previous);
                            entries.add(entry);
                            previous = entry.hash();
                        }
                    }
                    Tuple moved = Tuple.of((short) lane, seq, Buffer.buffer(previous),
                            Math.max(head.getLong("kafka_offset"), lastOffset));
                    Uni<Void> insert = entries.isEmpty() ? Uni.createFrom().voidItem()
                            : connection.preparedQuery(INSERT).execute(insertTuple(lane, entries)).replaceWithVoid();
                    return insert.chain(() -> connection.preparedQuery(MOVE_HEAD).execute(moved))
                            .replaceWith(new LaneResult(lane, entries.size(), seq));
                }));
    }

    /**
     * The record as PostgreSQL can hold it exactly — its time to the microsecond — so that what is hashed is what
     * is stored (the API already writes microseconds; this guards the chain against a writer that does not).
     */
    static LookupRecord storable(LookupRecord r) {
        Instant micros = r.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (micros.equals(r.occurredAt())) {
            return r;
        }
        return new LookupRecord(r.lookupId(), micros, r.contractId(), r.clientId(), r.operatorId(), r.purpose(),
                r.product(), r.subjectKidc(), r.outcome(), r.decision(), r.fieldsDisclosed(), r.httpStatus(),
                r.billable(), r.latencyMicros());
    }

    private static Tuple insertTuple(int lane, List<LedgerEntry> entries) {
        int n = entries.size();
        OffsetDateTime[] occurredAt = new OffsetDateTime[n];
        UUID[] lookupId = new UUID[n];
        Long[] seq = new Long[n];
        UUID[] contract = new UUID[n];
        String[] client = new String[n];
        String[] operator = new String[n];
        String[] purpose = new String[n];
        String[] product = new String[n];
        String[] subject = new String[n];
        String[] outcome = new String[n];
        String[] decision = new String[n];
        String[] fields = new String[n];
        Short[] status = new Short[n];
        Boolean[] billable = new Boolean[n];
        Long[] latency = new Long[n];
        Buffer[] prev = new Buffer[n];
        Buffer[] hash = new Buffer[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry entry = entries.get(i);
            LookupRecord r = entry.record();
            occurredAt[i] = r.occurredAt().atOffset(ZoneOffset.UTC);
            lookupId[i] = UUID.fromString(r.lookupId());
            seq[i] = entry.seq();
            contract[i] = UUID.fromString(r.contractId());
            client[i] = r.clientId();
            operator[i] = r.operatorId();
            purpose[i] = r.purpose();
            product[i] = r.product().name();
            subject[i] = r.subjectKidc();
            outcome[i] = r.outcome();
            decision[i] = r.decision();
            fields[i] = r.fieldsDisclosed() == null ? "" : String.join(",", r.fieldsDisclosed());
            status[i] = (short) r.httpStatus();
            billable[i] = r.billable();
            latency[i] = r.latencyMicros();
            prev[i] = Buffer.buffer(entry.prevHash());
            hash[i] = Buffer.buffer(entry.hash());
        }
        return Tuple.from(new Object[] {occurredAt, lookupId, (short) lane, seq, contract, client, operator, purpose,
                product, subject, outcome, decision, fields, status, billable, latency, prev, hash});
    }

    /** Creates the monthly partitions these months need, once per node (and harmlessly again on another). */
    public Uni<Void> ensurePartitions(Set<YearMonth> months) {
        List<YearMonth> missing = months.stream().filter(m -> !partitions.contains(m)).sorted().toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(missing).onItem().transformToUniAndConcatenate(month ->
                        pool.withTransaction(connection -> connection.query("SELECT pg_advisory_xact_lock(7305201)")
                                .execute().chain(() -> connection.query(partitionDdl(month)).execute()))
                                .invoke(() -> partitions.add(month)))
                .collect().last().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf(e, "could not create the ledger partitions for %s", missing));
    }

    static String partitionName(YearMonth month) {
        return String.format("audit.lookup_record_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    static String partitionDdl(YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(PhnomPenh.ZONE).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(PhnomPenh.ZONE).toInstant();
        return "CREATE TABLE IF NOT EXISTS " + partitionName(month) + " PARTITION OF audit.lookup_record FOR VALUES FROM ('"
                + from + "') TO ('" + to + "')";
    }

    /** Rows as the ledger holds them, back into entries (the integrity check and the export read these). */
    static LedgerEntry entry(Row row) {
        String[] fields = row.getArrayOfStrings("fields_disclosed");
        Short status = row.getShort("http_status");
        LookupRecord record = new LookupRecord(row.getUUID("lookup_id").toString(),
                row.getOffsetDateTime("occurred_at").toInstant(), row.getUUID("contract_id").toString(),
                row.getString("client_id"), row.getString("operator_id"), row.getString("purpose"),
                kh.dds.schema.lookup.Product.valueOf(row.getString("product")), row.getString("subject_kidc"),
                row.getString("outcome"), row.getString("decision"), fields == null ? List.of() : List.of(fields),
                status, row.getBoolean("billable"), row.getLong("latency_micros"));
        return new LedgerEntry(row.getShort("lane"), row.getLong("seq"), record,
                row.getBuffer("prev_hash").getBytes(), row.getBuffer("hash").getBytes());
    }

    static List<LedgerEntry> entries(RowSet<Row> rows) {
        List<LedgerEntry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            entries.add(entry(row));
        }
        return entries;
    }
}
