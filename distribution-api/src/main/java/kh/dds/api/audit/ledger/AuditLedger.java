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
import kh.dds.schema.lookup.Product;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * The audit ledger in PostgreSQL (schema {@code audit}): appends lookup records exactly once, each chained into its
 * lane — its Kafka partition's lane of its product ({@link kh.dds.schema.ledger.Lanes}) — and signs checkpoints of
 * the lanes' heads.
 *
 * <p><b>Exactly once, by lookup id.</b> A batch is one transaction of four statements, however many lanes it touches.
 * The lanes' head rows are locked ({@code FOR UPDATE}, in lane order); a record whose lookup id the ledger already
 * holds — a redelivery after a crash, the same record sent twice — is skipped; the rest are chained from the heads and
 * inserted, and the heads move, in that same transaction. A crash before the commit leaves nothing; after it, the redelivery is skipped. Two nodes that both
 * believe they own a partition during a rebalance serialise on the lane's lock. Kafka offsets are not trusted for
 * this (a topic recreated, or offsets reset, starts again at 0); the head keeps the last one for observation.
 *
 * <p><b>Partitions.</b> {@code audit.lookup_record} is partitioned by calendar month in Asia/Phnom_Penh, and each
 * month by product, so that retention drops a product's month whole ({@link LedgerRetention}); a month's partitions
 * are created when its first record arrives (and ahead of time by {@link LedgerMaintenance}).
 */
@ApplicationScoped
public class AuditLedger {

    private static final Logger LOG = Logger.getLogger(AuditLedger.class);

    /** Lanes first seen: created at the genesis, then locked with the rest. */
    private static final String NEW_LANES = """
            INSERT INTO audit.lane (lane, seq, head_hash, kafka_offset, updated_at)
            SELECT lane, 0, $2, -1, now() FROM unnest($1::smallint[]) AS l(lane) ORDER BY lane
            ON CONFLICT (lane) DO NOTHING""";
    /** In lane order, so that two writers of overlapping lanes cannot deadlock. */
    private static final String LOCK_LANES = """
            SELECT lane, seq, head_hash, kafka_offset FROM audit.lane WHERE lane = ANY($1) ORDER BY lane FOR UPDATE""";
    /** The batch's time span and products bound the partitions searched (pruned at execution). */
    private static final String KNOWN = """
            SELECT lookup_id FROM audit.lookup_record
            WHERE occurred_at >= $2 AND occurred_at <= $3 AND product = ANY($4) AND lookup_id = ANY($1)""";
    private static final String INSERT = """
            INSERT INTO audit.lookup_record (occurred_at, lookup_id, lane, seq, contract_id, client_id, operator_id,
                purpose, product, subject_kidc, outcome, decision, fields_disclosed, http_status, billable,
                latency_micros, prev_hash, hash, detail)
            SELECT r.occurred_at, r.lookup_id, r.lane, r.seq, r.contract_id, r.client_id, r.operator_id, r.purpose,
                   r.product, r.subject_kidc, r.outcome, r.decision, string_to_array(r.fields, ','), r.http_status,
                   r.billable, r.latency_micros, r.prev_hash, r.hash, r.detail
            FROM unnest($1::timestamptz[], $2::uuid[], $3::smallint[], $4::bigint[], $5::uuid[], $6::text[],
                        $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                        $14::smallint[], $15::boolean[], $16::bigint[], $17::bytea[], $18::bytea[], $19::text[])
                 AS r(occurred_at, lookup_id, lane, seq, contract_id, client_id, operator_id, purpose, product,
                      subject_kidc, outcome, decision, fields, http_status, billable, latency_micros, prev_hash, hash,
                      detail)""";
    private static final String MOVE_HEADS = """
            UPDATE audit.lane l SET seq = h.seq, head_hash = h.head_hash, kafka_offset = h.kafka_offset,
                updated_at = now()
            FROM unnest($1::smallint[], $2::bigint[], $3::bytea[], $4::bigint[]) AS h(lane, seq, head_hash, kafka_offset)
            WHERE l.lane = h.lane""";

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
                .chain(() -> pool.withTransaction(connection -> appendLanes(connection, byLane)))
                .map(heads -> {
                    int added = heads.values().stream().mapToInt(LaneHead::chained).sum();
                    chained.increment(added);
                    skipped.increment(batch.size() - added);
                    Map<Integer, Long> seqs = new HashMap<>();
                    heads.forEach((lane, head) -> seqs.put(lane, head.seq()));
                    return new Appended(added, batch.size() - added, seqs);
                })
                .call(appended -> checkpoints.checkpointDue(appended.heads()));
    }

    /** A lane's head, and how many entries this batch chained onto it. */
    record LaneHead(long seq, byte[] hash, long kafkaOffset, int chained) {
    }

    /**
     * The whole batch in four statements, whatever the lanes it touches: lock their heads, find the lookup ids the
     * ledger already holds, insert the rest chained from the heads, move the heads.
     */
    private Uni<Map<Integer, LaneHead>> appendLanes(SqlConnection connection, Map<Integer, List<LaneRecord>> byLane) {
        Short[] lanes = byLane.keySet().stream().map(Integer::shortValue).toArray(Short[]::new);
        List<UUID> ids = new ArrayList<>();
        Set<String> products = new java.util.TreeSet<>();
        Instant earliest = null;
        Instant latest = null;
        for (List<LaneRecord> records : byLane.values()) {
            records.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            for (LaneRecord record : records) {
                // the time as stored, so that the span covers a record the ledger holds at its microsecond
                Instant at = record.record().storable().occurredAt();
                ids.add(UUID.fromString(record.record().lookupId()));
                products.add(record.record().product().name());
                earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
                latest = latest == null || at.isAfter(latest) ? at : latest;
            }
        }
        Tuple known = Tuple.of(ids.toArray(UUID[]::new), earliest.atOffset(ZoneOffset.UTC),
                latest.atOffset(ZoneOffset.UTC), products.toArray(String[]::new));
        return lockLanes(connection, lanes)
                .chain(heads -> connection.preparedQuery(KNOWN).execute(known).chain(held -> {
                    Set<UUID> seen = new HashSet<>();
                    for (Row row : held) {
                        seen.add(row.getUUID("lookup_id"));
                    }
                    List<LedgerEntry> entries = new ArrayList<>();
                    Map<Integer, LaneHead> moved = new TreeMap<>();
                    for (Map.Entry<Integer, List<LaneRecord>> lane : byLane.entrySet()) {
                        LaneHead head = heads.get(lane.getKey());
                        long seq = head.seq();
                        byte[] previous = head.hash();
                        int chainedHere = 0;
                        for (LaneRecord record : lane.getValue()) {
                            LookupRecord storable = record.record().storable();
                            if (seen.add(UUID.fromString(storable.lookupId()))) {
                                LedgerEntry entry = LedgerEntry.chain(lane.getKey(), ++seq, storable, previous);
                                entries.add(entry);
                                previous = entry.hash();
                                chainedHere++;
                            }
                        }
                        long offset = Math.max(head.kafkaOffset(),
                                lane.getValue().get(lane.getValue().size() - 1).offset());
                        moved.put(lane.getKey(), new LaneHead(seq, previous, offset, chainedHere));
                    }
                    Uni<Void> insert = entries.isEmpty() ? Uni.createFrom().voidItem()
                            : connection.preparedQuery(INSERT).execute(insertTuple(entries)).replaceWithVoid();
                    return insert.chain(() -> connection.preparedQuery(MOVE_HEADS).execute(headsTuple(moved)))
                            .replaceWith(moved);
                }));
    }

    /** Locks the lanes' heads (in lane order), creating those seen for the first time. */
    static Uni<Map<Integer, LaneHead>> lockLanes(SqlConnection connection, Short[] lanes) {
        return lock(connection, lanes).chain(heads -> {
            if (heads.size() == lanes.length) {
                return Uni.createFrom().item(heads);
            }
            Short[] missing = java.util.Arrays.stream(lanes).filter(l -> !heads.containsKey((int) l))
                    .toArray(Short[]::new);
            return connection.preparedQuery(NEW_LANES).execute(Tuple.of(missing, Buffer.buffer(LedgerHash.GENESIS)))
                    .chain(() -> lock(connection, lanes));
        });
    }

    private static Uni<Map<Integer, LaneHead>> lock(SqlConnection connection, Short[] lanes) {
        return connection.preparedQuery(LOCK_LANES).execute(Tuple.of(lanes)).map(rows -> {
            Map<Integer, LaneHead> heads = new HashMap<>();
            for (Row row : rows) {
                heads.put((int) row.getShort("lane"), new LaneHead(row.getLong("seq"),
                        row.getBuffer("head_hash").getBytes(), row.getLong("kafka_offset"), 0));
            }
            return heads;
        });
    }

    private static Tuple headsTuple(Map<Integer, LaneHead> heads) {
        Short[] lanes = new Short[heads.size()];
        Long[] seqs = new Long[heads.size()];
        Buffer[] hashes = new Buffer[heads.size()];
        Long[] offsets = new Long[heads.size()];
        int i = 0;
        for (Map.Entry<Integer, LaneHead> head : heads.entrySet()) {
            lanes[i] = head.getKey().shortValue();
            seqs[i] = head.getValue().seq();
            hashes[i] = Buffer.buffer(head.getValue().hash());
            offsets[i] = head.getValue().kafkaOffset();
            i++;
        }
        return Tuple.of(lanes, seqs, hashes, offsets);
    }

    private static Tuple insertTuple(List<LedgerEntry> entries) {
        int n = entries.size();
        Short[] lane = new Short[n];
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
        String[] detail = new String[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry entry = entries.get(i);
            LookupRecord r = entry.record();
            occurredAt[i] = r.occurredAt().atOffset(ZoneOffset.UTC);
            lookupId[i] = UUID.fromString(r.lookupId());
            lane[i] = (short) entry.lane();
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
            detail[i] = r.detail();
        }
        return Tuple.from(new Object[] {occurredAt, lookupId, lane, seq, contract, client, operator, purpose,
                product, subject, outcome, decision, fields, status, billable, latency, prev, hash, detail});
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

    /** A month's partition of one product: what retention archives and drops. */
    static String partitionName(YearMonth month, Product product) {
        return partitionName(month) + "_" + product.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A month's partition, itself partitioned by product (one statement a line; each harmless when it exists). */
    static String partitionDdl(YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(PhnomPenh.ZONE).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(PhnomPenh.ZONE).toInstant();
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + partitionName(month)
                + " PARTITION OF audit.lookup_record FOR VALUES FROM ('" + from + "') TO ('" + to + "')"
                + " PARTITION BY LIST (product);\n");
        for (Product product : Product.values()) {
            ddl.append("CREATE TABLE IF NOT EXISTS ").append(partitionName(month, product)).append(" PARTITION OF ")
                    .append(partitionName(month)).append(" FOR VALUES IN ('").append(product.name()).append("');\n");
        }
        return ddl.toString();
    }

    /** Rows as the ledger holds them, back into entries (the integrity check and the export read these). */
    static LedgerEntry entry(Row row) {
        String[] fields = row.getArrayOfStrings("fields_disclosed");
        Short status = row.getShort("http_status");
        LookupRecord record = new LookupRecord(row.getUUID("lookup_id").toString(),
                row.getOffsetDateTime("occurred_at").toInstant(), row.getUUID("contract_id").toString(),
                row.getString("client_id"), row.getString("operator_id"), row.getString("purpose"),
                Product.valueOf(row.getString("product")), row.getString("subject_kidc"),
                row.getString("outcome"), row.getString("decision"), fields == null ? List.of() : List.of(fields),
                status, row.getBoolean("billable"), row.getLong("latency_micros"), row.getString("detail"));
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
