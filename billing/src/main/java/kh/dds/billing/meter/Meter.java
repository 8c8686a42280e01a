package kh.dds.billing.meter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * Meters lookup records exactly once: one statement records each record's lookup id in {@code billing.metered_call}
 * — a record already there is skipped — and adds only the records it recorded to the day's counters in
 * {@code billing.usage_daily}. Redelivered, replayed and duplicated records therefore count once, however often they
 * come, and the counters move in the same transaction as the de-duplication keys.
 *
 * <p>A record counts on the Phnom Penh calendar day of its {@code occurredAt}, whenever it arrives: a late record
 * lands on its own day (and, for a month already invoiced, in the correction the next close issues). A record
 * without a contract (a call refused before its caller's contract was known) is audited, never billed.
 */
@ApplicationScoped
public class Meter {

    private static final Logger LOG = Logger.getLogger(Meter.class);
    private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("yyyy_MM");

    private static final String METER = """
            WITH fresh AS (
                INSERT INTO billing.metered_call (day, lookup_id, contract_id, product, billable)
                SELECT * FROM unnest($1::date[], $2::uuid[], $3::uuid[], $4::text[], $5::boolean[])
                ON CONFLICT DO NOTHING
                RETURNING contract_id, day, product, billable),
            counted AS (
                INSERT INTO billing.usage_daily AS u (contract_id, day, product, billable, non_billable)
                SELECT contract_id, day, product, count(*) FILTER (WHERE billable), count(*) FILTER (WHERE NOT billable)
                FROM fresh GROUP BY contract_id, day, product
                -- in key order, so that two meters adding to the same days cannot deadlock
                ORDER BY contract_id, day, product
                ON CONFLICT (contract_id, day, product) DO UPDATE
                SET billable = u.billable + excluded.billable, non_billable = u.non_billable + excluded.non_billable
                RETURNING 1)
            SELECT count(*) AS fresh FROM fresh""";

    private final Pool pool;
    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();
    private final Counter fresh;
    private final Counter repeated;
    private final Counter withoutContract;

    public Meter(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.fresh = registry.counter("billing.metered.records", "result", "metered");
        this.repeated = registry.counter("billing.metered.records", "result", "repeated");
        this.withoutContract = registry.counter("billing.metered.records", "result", "without-contract");
    }

    /** Meters {@code records}; completes once the counts are committed. Returns how many were new. */
    public Uni<Long> meter(List<LookupRecord> records) {
        List<LocalDate> days = new ArrayList<>(records.size());
        List<UUID> lookupIds = new ArrayList<>(records.size());
        List<UUID> contracts = new ArrayList<>(records.size());
        List<String> products = new ArrayList<>(records.size());
        List<Boolean> billable = new ArrayList<>(records.size());
        Set<YearMonth> months = new TreeSet<>();
        long skipped = 0;
        for (LookupRecord record : records) {
            if (record.contractId() == null) {
                skipped++;
                continue;
            }
            LocalDate day = PhnomPenh.day(record.occurredAt());
            days.add(day);
            lookupIds.add(UUID.fromString(record.lookupId()));
            contracts.add(UUID.fromString(record.contractId()));
            products.add(record.product().name());
            billable.add(record.billable());
            months.add(YearMonth.from(day));
        }
        withoutContract.increment(skipped);
        if (days.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        int offered = days.size();
        return ensurePartitions(months)
                .chain(() -> pool.preparedQuery(METER).execute(Tuple.of(days.toArray(LocalDate[]::new),
                        lookupIds.toArray(UUID[]::new), contracts.toArray(UUID[]::new),
                        products.toArray(String[]::new), billable.toArray(Boolean[]::new))))
                .map(rows -> {
                    long metered = rows.iterator().next().getLong("fresh");
                    fresh.increment(metered);
                    repeated.increment(offered - metered);
                    return metered;
                });
    }

    /** The month partitions {@code months} need, created once per month (and by whichever meter comes first). */
    private Uni<Void> ensurePartitions(Set<YearMonth> months) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (YearMonth month : months) {
            if (partitions.contains(month)) {
                continue;
            }
            String sql = "CREATE TABLE IF NOT EXISTS billing.metered_call_" + PARTITION.format(month)
                    + " PARTITION OF billing.metered_call FOR VALUES FROM ('" + month.atDay(1) + "') TO ('"
                    + month.plusMonths(1).atDay(1) + "')";
            chain = chain.chain(() -> pool.query(sql).execute()
                    .invoke(() -> {
                        partitions.add(month);
                        LOG.debugf("metering partition for %s ready", month);
                    })
                    .replaceWithVoid());
        }
        return chain;
    }
}
