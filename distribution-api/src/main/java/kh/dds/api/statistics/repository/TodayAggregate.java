package kh.dds.api.statistics.repository;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kh.dds.api.statistics.Dimension;
import kh.dds.api.statistics.StatisticsQuery;
import kh.dds.api.statistics.repository.PopulationCounts.Counted;
import kh.dds.api.statistics.repository.PopulationCounts.Group;
import kh.dds.schema.statistics.PopulationHistory;
import org.jboss.logging.Logger;

/**
 * Today's counts, which no daily aggregate holds yet: the counts and record-key sums of today's active persons by all
 * six dimensions, read from {@code person_history} with one {@code GROUP BY} (a few hundred milliseconds at a million
 * persons) and kept in memory, so that each query of today is a sum over a few thousand rows here.
 *
 * <p>An aggregate is tied to the version of the data it was read from and carries that version's {@code dataAsOf}:
 * the version is the transaction id of {@code replica.replica_state}'s row ({@code xmin}), which every transaction that
 * writes the history updates (an event batch's counters, a snapshot load), and it is read in the same
 * repeatable-read snapshot as the aggregate. So an answer is never older than its {@code dataAsOf} says:
 * <ul>
 *   <li>the aggregate of the current version answers as it is;</li>
 *   <li>one of an older version answers only while it is younger than the configured staleness
 *       ({@code api.statistics.today-max-staleness}), <em>with its own, older {@code dataAsOf}</em>, while a newer
 *       one is read in the background (one at a time on this node);</li>
 *   <li>otherwise the query waits for a new aggregate (each such query reads its own: the first query of a day, or
 *       after a quiet spell longer than the staleness).</li>
 * </ul>
 * Each API node keeps its own; a new day starts with a new aggregate (ages move at midnight).
 */
@ApplicationScoped
public class TodayAggregate {

    private static final Logger LOG = Logger.getLogger(TodayAggregate.class);

    /** The data's version and freshness: the state row's transaction id changes with every write of the history. */
    private static final String VERSION =
            "SELECT xmin::text AS version, last_event_at FROM replica.replica_state WHERE id = 1";

    private static final String AGGREGATE = """
            SELECT province::text, district, sex::text, (%s)::int AS age_band, marital_status, citizenship,
                   count(*)::bigint, coalesce(sum(record_key), 0)::bigint
            FROM replica.person_history WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)
            GROUP BY 1, 2, 3, 4, 5, 6""".formatted(PopulationHistory.ageBandSql("$2"));

    /** Dimensions in the aggregate's column order. */
    private static final Dimension[] COLUMNS = {Dimension.PROVINCE, Dimension.DISTRICT, Dimension.SEX,
            Dimension.AGE_BAND, Dimension.MARITAL_STATUS, Dimension.CITIZENSHIP};

    /** One group of the aggregate: its values by {@link Dimension#ordinal()} ({@code null} for none). */
    record Entry(String[] values, long persons, long keySum) {
    }

    /** An aggregate of one day, the version and dataAsOf it was read at, and when its reading began. */
    record Aggregate(LocalDate day, String version, Instant dataAsOf, List<Entry> entries, long readSinceNanos) {
    }

    private final Pool pool;
    private final AtomicReference<Aggregate> current = new AtomicReference<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    public TodayAggregate(@ReactiveDataSource("person-reads") Pool pool) {
        this.pool = pool;
    }

    /**
     * The query's groups on {@code query.asOf()} (today), with the dataAsOf of the aggregate they come from.
     *
     * @param maxStaleness how long an aggregate of an older version may still answer (with its own dataAsOf)
     */
    public Uni<Counted> count(StatisticsQuery query, Duration maxStaleness) {
        LocalDate day = query.asOf();
        return pool.query(VERSION).execute().flatMap(rows -> {
            String version = rows.size() == 0 ? "" : rows.iterator().next().getString("version");
            Aggregate held = current.get();
            if (held != null && held.day().equals(day)) {
                if (held.version().equals(version)) {
                    return Uni.createFrom().item(held);
                }
                if (System.nanoTime() - held.readSinceNanos() <= maxStaleness.toNanos()) {
                    refreshInBackground(day);
                    return Uni.createFrom().item(held);
                }
            }
            return read(day);
        }).map(aggregate -> new Counted(groups(aggregate, query), aggregate.dataAsOf()));
    }

    private void refreshInBackground(LocalDate day) {
        if (refreshing.compareAndSet(false, true)) {
            read(day).subscribe().with(aggregate -> refreshing.set(false), failure -> {
                refreshing.set(false);
                LOG.warnf("today's population aggregate not refreshed: %s", failure.toString());
            });
        }
    }

    /** Reads the day's aggregate and its version in one repeatable-read snapshot, and keeps it if it is the newest. */
    private Uni<Aggregate> read(LocalDate day) {
        long since = System.nanoTime();
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute()
                .flatMap(ignored -> tx.query(VERSION).execute())
                .flatMap(state -> {
                    Row row = state.size() == 0 ? null : state.iterator().next();
                    String version = row == null ? "" : row.getString("version");
                    OffsetDateTime last = row == null ? null : row.getOffsetDateTime("last_event_at");
                    return tx.preparedQuery(AGGREGATE).execute(Tuple.of(day, PopulationHistory.ymd(day)))
                            .map(rows -> {
                                List<Entry> entries = new ArrayList<>(rows.size());
                                for (Row r : rows) {
                                    String[] values = new String[Dimension.values().length];
                                    for (int i = 0; i < COLUMNS.length; i++) {
                                        values[COLUMNS[i].ordinal()] = COLUMNS[i] == Dimension.AGE_BAND
                                                ? (r.getInteger(i) == null ? null
                                                        : PopulationHistory.ageBandName(r.getInteger(i)))
                                                : trim(r.getString(i));
                                    }
                                    entries.add(new Entry(values, r.getLong(6), r.getLong(7)));
                                }
                                return new Aggregate(day, version, last == null ? null : last.toInstant(),
                                        List.copyOf(entries), since);
                            });
                }))
                .invoke(aggregate -> current.accumulateAndGet(aggregate, TodayAggregate::newer));
    }

    /** Of two aggregates, the one of the later day, or of the same day the one whose reading began later. */
    private static Aggregate newer(Aggregate held, Aggregate read) {
        if (held == null || read.day().isAfter(held.day())) {
            return read;
        }
        if (read.day().isBefore(held.day())) {
            return held;
        }
        return read.readSinceNanos() - held.readSinceNanos() >= 0 ? read : held;
    }

    /** The query's groups: the entries its filters keep, summed by its groupBy values. */
    static List<Group> groups(Aggregate aggregate, StatisticsQuery query) {
        Map<Dimension, String> filters = new LinkedHashMap<>();
        query.filters().forEach((dimension, value) -> filters.put(dimension, dimension == Dimension.AGE_BAND
                ? PopulationHistory.ageBandName(PopulationHistory.ageBandOf(value)) : value));
        List<Dimension> groupBy = query.groupBy();
        Map<List<String>, long[]> sums = new LinkedHashMap<>();
        for (Entry entry : aggregate.entries()) {
            boolean kept = true;
            for (Map.Entry<Dimension, String> filter : filters.entrySet()) {
                if (!filter.getValue().equals(entry.values()[filter.getKey().ordinal()])) {
                    kept = false;
                    break;
                }
            }
            if (!kept) {
                continue;
            }
            String[] key = new String[groupBy.size()];
            for (int i = 0; i < key.length; i++) {
                key[i] = entry.values()[groupBy.get(i).ordinal()];
            }
            long[] sum = sums.computeIfAbsent(Arrays.asList(key), k -> new long[2]);
            sum[0] += entry.persons();
            sum[1] += entry.keySum();
        }
        if (groupBy.isEmpty() && sums.isEmpty()) {
            // as the history's GROUP BY-less count: one group of nobody
            sums.put(List.of(), new long[2]);
        }
        List<Group> groups = new ArrayList<>(sums.size());
        sums.forEach((values, sum) -> groups.add(new Group(values, sum[0], sum[1])));
        return groups;
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }
}
