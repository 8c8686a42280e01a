package kh.dds.api.audit.ledger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kh.dds.api.concurrent.Contexts;
import kh.dds.schema.ledger.Checkpoint;
import kh.dds.schema.ledger.Lanes;
import kh.dds.schema.ledger.LedgerEntry;
import kh.dds.schema.ledger.LedgerVerifier;
import kh.dds.schema.lookup.Product;

/**
 * {@code GET /v1/audit/integrity}: the ledger checked against its chain and its signed checkpoints, page by page
 * (a lane's entries by sequence, 5,000 at a time, the hashing on a worker thread), with {@link LedgerVerifier} — the
 * very code the offline verifier runs. A time range is widened to whole runs of sequence numbers: each lane is
 * checked from its first entry in the range to its last, whatever their times, so that a record that arrived a
 * little out of time order cannot look deleted. Every removal of expired entries is verified first (they are few),
 * so that the runs they removed can stand in the lanes' gaps.
 */
@ApplicationScoped
public class LedgerIntegrity {

    private static final int PAGE = 5_000;
    private static final String RANGES = """
            SELECT lane, min(seq) AS first, max(seq) AS last FROM audit.lookup_record
            WHERE ($1::timestamptz IS NULL OR occurred_at >= $1) AND ($2::timestamptz IS NULL OR occurred_at < $2)
            GROUP BY lane ORDER BY lane""";
    /**
     * The same for the whole ledger, from the index alone: each lane found by one probe past the last (a loose index
     * scan), its ends by one probe each — instead of aggregating every row (14 s for 10 M rows, against milliseconds).
     */
    private static final String ALL_RANGES = """
            WITH RECURSIVE lanes AS (
                (SELECT lane FROM audit.lookup_record ORDER BY lane LIMIT 1)
                UNION ALL
                SELECT (SELECT r.lane FROM audit.lookup_record r WHERE r.lane > lanes.lane ORDER BY r.lane LIMIT 1)
                FROM lanes WHERE lanes.lane IS NOT NULL)
            SELECT lane, (SELECT min(seq) FROM audit.lookup_record r WHERE r.lane = lanes.lane) AS first,
                   (SELECT max(seq) FROM audit.lookup_record r WHERE r.lane = lanes.lane) AS last
            FROM lanes WHERE lane IS NOT NULL ORDER BY lane""";
    private static final String HEADS = "SELECT lane, seq FROM audit.lane ORDER BY lane";
    private static final String PAGE_QUERY = """
            SELECT * FROM audit.lookup_record WHERE lane = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq LIMIT $4""";
    /** A lane of one product: its partitions alone are searched. */
    private static final String PRODUCT_PAGE_QUERY = """
            SELECT * FROM audit.lookup_record WHERE lane = $1 AND seq >= $2 AND seq <= $3 AND product = $5
            ORDER BY seq LIMIT $4""";

    private final Pool pool;
    private final LedgerCheckpoints checkpoints;
    private final LedgerKeys keys;
    private final LedgerRetention retention;

    public LedgerIntegrity(Pool pool, LedgerCheckpoints checkpoints, LedgerKeys keys, LedgerRetention retention) {
        this.pool = pool;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.retention = retention;
    }

    private record Range(int lane, long first, long last) {
    }

    /** Verifies the entries of {@code [from, to)}; with no {@code to}, to the heads (so truncations show). */
    public Uni<LedgerVerifier.Report> verify(Instant from, Instant to) {
        boolean complete = to == null;
        Uni<List<Checkpoint>> signed = checkpoints.list(null, null);
        return signed.chain(list -> retention.list().chain(removals -> {
            LedgerVerifier verifier = new LedgerVerifier(list, keys.verifyingKeys());
            if (from == null) {
                verifier.fromTheStart();
            }
            removals.forEach(verifier::accept);
            return ranges(from, to, complete, verifier)
                    .chain(ranges -> walk(ranges, verifier))
                    .map(ignored -> verifier.finish(complete));
        }));
    }

    private Uni<List<Range>> ranges(Instant from, Instant to, boolean complete, LedgerVerifier verifier) {
        Uni<RowSet<Row>> found = from == null && to == null ? pool.query(ALL_RANGES).execute()
                : pool.preparedQuery(RANGES).execute(Tuple.of(from == null ? null : from.atOffset(ZoneOffset.UTC),
                        to == null ? null : to.atOffset(ZoneOffset.UTC)));
        Uni<List<Range>> present = found.map(rows -> {
            List<Range> ranges = new ArrayList<>();
            for (Row row : rows) {
                ranges.add(new Range(row.getShort("lane"), row.getLong("first"), row.getLong("last")));
            }
            return ranges;
        });
        if (!complete) {
            return present;
        }
        return present.chain(ranges -> pool.query(HEADS).execute().map(rows -> {
            Set<Integer> seen = new HashSet<>();
            ranges.forEach(range -> seen.add(range.lane()));
            List<Range> all = new ArrayList<>(ranges);
            for (Row row : rows) {
                int lane = row.getShort("lane");
                long head = row.getLong("seq");
                verifier.expectEnd(lane, head);
                // a lane with no entry in a window that starts later than the ledger: its last entry (before the
                // window) is read, so that the lane is seen to end where its head and checkpoints say, not at 0
                if (from != null && head > 0 && !seen.contains(lane)) {
                    all.add(new Range(lane, head, head));
                }
            }
            all.sort(Comparator.comparingInt(Range::lane));
            return all;
        }));
    }

    /** The lanes one after the other, each page by page: a loop, not a chain that grows with every page. */
    private Uni<Void> walk(List<Range> ranges, LedgerVerifier verifier) {
        return Multi.createFrom().iterable(ranges)
                .onItem().transformToUniAndConcatenate(range -> lane(range, verifier))
                .onItem().ignoreAsUni();
    }

    private Uni<Void> lane(Range range, LedgerVerifier verifier) {
        Optional<Product> product = Lanes.product(range.lane());
        String query = product.isPresent() ? PRODUCT_PAGE_QUERY : PAGE_QUERY;
        return Multi.createBy().repeating().uni(() -> new long[] {range.first()}, next -> next[0] > range.last()
                        ? Uni.createFrom().item(0)
                        : pool.preparedQuery(query).execute(product.isPresent()
                                        ? Tuple.of((short) range.lane(), next[0], range.last(), PAGE,
                                                product.get().name())
                                        : Tuple.of((short) range.lane(), next[0], range.last(), PAGE))
                                .chain(rows -> Contexts.resumeHere(Uni.createFrom().item(() -> {
                                    List<LedgerEntry> entries = AuditLedger.entries(rows);
                                    entries.forEach(verifier::accept);
                                    next[0] = entries.isEmpty() ? range.last() + 1
                                            : entries.get(entries.size() - 1).seq() + 1;
                                    return entries.size();
                                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))))
                .whilst(verified -> verified > 0)
                .onItem().ignoreAsUni();
    }
}
