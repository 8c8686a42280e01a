package kh.dds.billing.reconcile;

import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import kh.dds.schema.time.PhnomPenh;

/**
 * For one Phnom Penh day and every contract, three counts of billable calls that must agree once the consumers have
 * caught up (SPEC §4.7):
 * <ul>
 *   <li><b>audited</b>: billable records in the audit ledger ({@code audit.lookup_record});</li>
 *   <li><b>metered</b>: billable calls billing counted ({@code billing.usage_daily});</li>
 *   <li><b>api</b>: the API's own count, kept in Redis as it answers ({@code dds:billed:{contract}:{yyyy-MM-dd}};
 *       a call in flight is counted there first).</li>
 * </ul>
 * The API keeps that count in its counters' Redis ({@code noeviction}, never the person cache's, which may evict),
 * so billing reads it through the client of the same name, {@code quarkus.redis.counters.*}.
 */
@ApplicationScoped
public class Reconciliation {

    /** One contract's counts. */
    public record Counts(UUID contractId, long audited, long metered, long api, boolean equal) {
    }

    /** The day's reconciliation: the contracts with any count, and how many of them differ. */
    public record Report(LocalDate date, Instant at, int differences, List<Counts> contracts) {
    }

    /** The API's counters' Redis client, named as the API names it. */
    public static final String COUNTERS = "counters";

    private final Pool pool;
    private final ReactiveRedisDataSource redis;

    public Reconciliation(Pool pool, @RedisClientName(COUNTERS) ReactiveRedisDataSource redis) {
        this.pool = pool;
        this.redis = redis;
    }

    public static String apiKey(UUID contractId, LocalDate day) {
        return "dds:billed:" + contractId + ":" + day;
    }

    public Uni<Report> of(LocalDate date) {
        Instant at = Instant.now();
        Uni<Map<UUID, Long>> audited = counts("""
                SELECT contract_id, count(*) AS n FROM audit.lookup_record
                WHERE occurred_at >= $1 AND occurred_at < $2 AND billable GROUP BY contract_id""",
                Tuple.of(PhnomPenh.startOf(date).atOffset(ZoneOffset.UTC),
                        PhnomPenh.startOf(date.plusDays(1)).atOffset(ZoneOffset.UTC)));
        Uni<Map<UUID, Long>> metered = counts("""
                SELECT contract_id, sum(billable)::bigint AS n FROM billing.usage_daily
                WHERE day = $1 GROUP BY contract_id""", Tuple.of(date));
        Uni<Map<UUID, Long>> api = pool.query("SELECT id FROM api.contract ORDER BY id").execute()
                .chain(rows -> {
                    List<UUID> contracts = new ArrayList<>(rows.size());
                    rows.forEach(row -> contracts.add(row.getUUID("id")));
                    if (contracts.isEmpty()) {
                        return Uni.createFrom().item(Map.<UUID, Long>of());
                    }
                    List<String> command = new ArrayList<>(contracts.size());
                    contracts.forEach(contract -> command.add(apiKey(contract, date)));
                    return redis.execute("MGET", command.toArray(String[]::new)).map(values -> {
                        Map<UUID, Long> counts = new HashMap<>();
                        for (int i = 0; i < contracts.size(); i++) {
                            Response value = values.get(i);
                            if (value != null) {
                                counts.put(contracts.get(i), value.toLong());
                            }
                        }
                        return counts;
                    });
                });
        return Uni.combine().all().unis(audited, metered, api).asTuple().map(counts -> {
            Map<UUID, Counts> rows = new TreeMap<>();
            for (Map<UUID, Long> source : List.of(counts.getItem1(), counts.getItem2(), counts.getItem3())) {
                source.keySet().forEach(contract -> rows.computeIfAbsent(contract, c -> {
                    long a = counts.getItem1().getOrDefault(c, 0L);
                    long m = counts.getItem2().getOrDefault(c, 0L);
                    long p = counts.getItem3().getOrDefault(c, 0L);
                    return new Counts(c, a, m, p, a == m && m == p);
                }));
            }
            List<Counts> list = List.copyOf(rows.values());
            int differences = (int) list.stream().filter(c -> !c.equal()).count();
            return new Report(date, at, differences, list);
        });
    }

    private Uni<Map<UUID, Long>> counts(String sql, Tuple arguments) {
        return pool.preparedQuery(sql).execute(arguments).map(rows -> {
            Map<UUID, Long> counts = new HashMap<>();
            for (Row row : rows) {
                counts.put(row.getUUID("contract_id"), row.getLong("n"));
            }
            return counts;
        });
    }
}
