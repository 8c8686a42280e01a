package kh.dds.api.notification.subscription;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A contract's subscriptions in {@code api.subscription}. Every statement names the contract, taken from the caller's
 * token: no contract can read, add or remove another's.
 */
@ApplicationScoped
public class SubscriptionStore {

    private static final String ADD = """
            INSERT INTO api.subscription (contract_id, kidc)
            SELECT $1, k FROM unnest($2::text[]) AS u(k)
            ON CONFLICT (contract_id, kidc) DO NOTHING""";
    private static final String ONE = "SELECT kidc, created_at FROM api.subscription WHERE contract_id = $1 AND kidc = $2";
    private static final String PAGE = """
            SELECT kidc, created_at FROM api.subscription WHERE contract_id = $1 AND kidc > $2
            ORDER BY kidc LIMIT $3""";
    private static final String REMOVE = "DELETE FROM api.subscription WHERE contract_id = $1 AND kidc = $2";

    /** One subscription. */
    public record Subscription(String kidc, Instant subscribedAt) {
    }

    private final Pool pool;

    public SubscriptionStore(Pool pool) {
        this.pool = pool;
    }

    /** Subscribes the contract to these (well-formed, distinct) KIdCs; gives how many were new. */
    public Uni<Integer> add(UUID contractId, Collection<String> kidcs) {
        if (kidcs.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery(ADD).execute(Tuple.of(contractId, kidcs.toArray(String[]::new)))
                .map(rows -> rows.rowCount());
    }

    public Uni<Optional<Subscription>> find(UUID contractId, String kidc) {
        return pool.preparedQuery(ONE).execute(Tuple.of(contractId, kidc)).map(rows -> {
            var iterator = rows.iterator();
            return iterator.hasNext() ? Optional.of(subscription(iterator.next())) : Optional.empty();
        });
    }

    /** Up to {@code limit} subscriptions in KIdC order after {@code after} (empty for the first page). */
    public Uni<List<Subscription>> page(UUID contractId, String after, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(contractId, after, limit)).map(rows -> {
            List<Subscription> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(subscription(row)));
            return page;
        });
    }

    /** Whether there was such a subscription. */
    public Uni<Boolean> remove(UUID contractId, String kidc) {
        return pool.preparedQuery(REMOVE).execute(Tuple.of(contractId, kidc)).map(rows -> rows.rowCount() > 0);
    }

    private static Subscription subscription(Row row) {
        return new Subscription(row.getString("kidc"), row.getOffsetDateTime("created_at").toInstant());
    }
}
