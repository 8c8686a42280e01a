package kh.dds.api.statistics.repository;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kh.dds.api.statistics.Dimension;
import kh.dds.api.statistics.StatisticsQuery;
import kh.dds.schema.statistics.PopulationHistory;

/**
 * Reads the counts of active persons on a day from the replica's population history (identity-schema
 * {@code db/replica/V6__population_history.sql}): from {@code population_day} when the day is built and nothing at or
 * before it is marked stale, otherwise from {@code person_history} itself (today, or a day being rebuilt). Both give
 * the same counts and record-key sums for the same persons; today from {@link TodayAggregate}. Columns come from {@link Dimension}, never from the
 * caller; values are parameters.
 */
@ApplicationScoped
public class PopulationCounts {

    /** One group of the answer: its values (in the query's groupBy order, {@code null} for none), count, key sum. */
    public record Group(List<String> values, long persons, long keySum) {
    }

    /** A query's groups and the freshness of the data they were counted from. */
    public record Counted(List<Group> groups, Instant dataAsOf) {
    }

    /** The first day the history answers and the replica's freshness. */
    public record HistoryRange(LocalDate beganOn, Instant dataAsOf) {
    }

    private static final String RANGE = "SELECT history_began_on, last_event_at FROM replica.replica_state WHERE id = 1";

    private static final String BUILT = """
            SELECT EXISTS (SELECT 1 FROM replica.population_day_built WHERE day = $1)
               AND NOT EXISTS (SELECT 1 FROM replica.population_day_stale WHERE day <= $1) AS built""";

    private final Pool pool;
    private final TodayAggregate today;

    public PopulationCounts(@ReactiveDataSource("person-reads") Pool pool, TodayAggregate today) {
        this.pool = pool;
        this.today = today;
    }

    public Uni<HistoryRange> range() {
        return pool.query(RANGE).execute().map(rows -> {
            if (rows.size() == 0) {
                return new HistoryRange(null, null);
            }
            Row row = rows.iterator().next();
            OffsetDateTime last = row.getOffsetDateTime("last_event_at");
            return new HistoryRange(row.getLocalDate("history_began_on"), last == null ? null : last.toInstant());
        });
    }

    /**
     * The query's groups: today's from {@link TodayAggregate} (with the dataAsOf of the aggregate they come from), a
     * closed day's from population_day or the history (with {@code dataAsOf}, read before them: the counts are at
     * least as new).
     */
    public Uni<Counted> count(StatisticsQuery query, Instant dataAsOf, LocalDate today,
                              java.time.Duration todayMaxStaleness) {
        if (query.asOf().equals(today)) {
            return this.today.count(query, todayMaxStaleness);
        }
        return closedDay(query).map(groups -> new Counted(groups, dataAsOf));
    }

    private Uni<List<Group>> closedDay(StatisticsQuery query) {
        return pool.preparedQuery(BUILT).execute(Tuple.of(query.asOf()))
                .map(rows -> rows.iterator().next().getBoolean("built"))
                .flatMap(built -> {
                    List<Object> parameters = new ArrayList<>();
                    parameters.add(query.asOf());
                    String sql = built ? fromDays(query, parameters) : fromHistory(query, parameters);
                    return pool.preparedQuery(sql).execute(Tuple.from(parameters));
                })
                .map(rows -> {
                    List<Group> groups = new ArrayList<>();
                    int k = query.groupBy().size();
                    for (Row row : rows) {
                        List<String> values = new ArrayList<>(k);
                        for (int i = 0; i < k; i++) {
                            String value = row.getString(i);
                            if (value != null && query.groupBy().get(i) == Dimension.AGE_BAND) {
                                value = PopulationHistory.ageBandName(Integer.parseInt(value));
                            }
                            values.add(value == null ? null : value.trim());
                        }
                        groups.add(new Group(values, row.getLong(k), row.getLong(k + 1)));
                    }
                    return groups;
                });
    }

    private static String fromDays(StatisticsQuery query, List<Object> parameters) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (Dimension dimension : query.groupBy()) {
            sql.append(dimension.column()).append("::text, ");
        }
        sql.append("coalesce(sum(persons), 0)::bigint, coalesce(sum(key_sum), 0)::bigint FROM replica.population_day")
                .append(" WHERE day = $1");
        filters(query, parameters, sql, Dimension::column);
        return groupBy(query, sql);
    }

    private static String fromHistory(StatisticsQuery query, List<Object> parameters) {
        parameters.add(PopulationHistory.ymd(query.asOf()));
        String ageBand = "(" + PopulationHistory.ageBandSql("$2") + ")";
        java.util.function.Function<Dimension, String> column = d -> d == Dimension.AGE_BAND ? ageBand : d.column();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (Dimension dimension : query.groupBy()) {
            sql.append(column.apply(dimension)).append("::text, ");
        }
        sql.append("count(*)::bigint, coalesce(sum(record_key), 0)::bigint FROM replica.person_history")
                .append(" WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)");
        filters(query, parameters, sql, column);
        return groupBy(query, sql);
    }

    private static void filters(StatisticsQuery query, List<Object> parameters, StringBuilder sql,
                                java.util.function.Function<Dimension, String> column) {
        for (Map.Entry<Dimension, String> filter : query.filters().entrySet()) {
            Dimension dimension = filter.getKey();
            parameters.add(dimension == Dimension.AGE_BAND
                    ? (Object) (short) PopulationHistory.ageBandOf(filter.getValue()) : filter.getValue());
            sql.append(" AND ").append(column.apply(dimension)).append(" = $").append(parameters.size());
            if (dimension == Dimension.AGE_BAND) {
                sql.append("::smallint");
            }
        }
    }

    private static String groupBy(StatisticsQuery query, StringBuilder sql) {
        int k = query.groupBy().size();
        if (k > 0) {
            sql.append(" GROUP BY ");
            for (int i = 1; i <= k; i++) {
                sql.append(i == 1 ? "" : ", ").append(i);
            }
        }
        return sql.toString();
    }
}
