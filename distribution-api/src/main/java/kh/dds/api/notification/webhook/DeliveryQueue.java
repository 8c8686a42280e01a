package kh.dds.api.notification.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import kh.dds.api.call.LookupIds;
import kh.dds.api.notification.Notification;
import kh.dds.api.notification.NotificationStore;

/**
 * The webhooks' work queue in {@code api.notification}, shared by every API node through leases: a node claims due
 * notifications with {@code FOR UPDATE SKIP LOCKED} and leases them for a while; a node that stops lets its lease
 * run out and another takes the notification up (at-least-once). Claims are fair between endpoints — at most
 * {@code perEndpoint} per contract a round, none for a contract whose deliveries this node already has in flight at
 * that bound — so a slow or dead receiver never holds another contract's deliveries back. One KIdC's notifications go
 * in order: one is due only when no earlier one of the same contract and KIdC is still pending.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final String CLAIM = """
            UPDATE api.notification n SET lease_until = now() + make_interval(secs => $4), attempts = n.attempts + 1
            FROM (SELECT id FROM api.notification WHERE id IN (
                    SELECT id FROM (
                        SELECT d.id, row_number() OVER (PARTITION BY d.contract_id ORDER BY d.id) AS r
                        FROM api.notification d
                        WHERE d.webhook_state = 'PENDING' AND d.next_attempt_at <= now()
                          AND (d.lease_until IS NULL OR d.lease_until < now())
                          AND NOT (d.contract_id = ANY($1))
                          AND NOT EXISTS (SELECT 1 FROM api.notification e
                                          WHERE e.webhook_state = 'PENDING' AND e.contract_id = d.contract_id
                                            AND e.kidc = d.kidc AND (e.sequence, e.id) < (d.sequence, d.id))
                    ) c WHERE c.r <= $2 LIMIT $3)
                  FOR UPDATE SKIP LOCKED) l
            WHERE n.id = l.id
            RETURNING n.id, n.notification_id, n.contract_id, n.kidc, n.sequence, n.type, n.body,
                      n.fields_disclosed::text AS fields_disclosed, n.lookup_id, n.delivered_at, n.delivered_by,
                      n.audited_at, n.webhook_state, n.attempts, coalesce(n.retry_since, n.created_at) AS created_at,
                      n.last_error""";

    private static final String DELIVERED = """
            UPDATE api.notification SET webhook_state = 'DELIVERED', lease_until = NULL, last_error = NULL,
                lookup_id = coalesce(lookup_id, $2), delivered_by = coalesce(delivered_by, 'webhook'),
                delivered_at = coalesce(delivered_at, $3)
            WHERE id = $1
            RETURNING""" + " " + NotificationStore.COLUMNS;

    private static final String RETRY = """
            UPDATE api.notification SET lease_until = NULL, last_error = $2, next_attempt_at = $3
            WHERE id = $1""";

    private static final String PARK = """
            UPDATE api.notification SET webhook_state = 'PARKED', lease_until = NULL, last_error = $2,
                next_attempt_at = NULL
            WHERE id = $1""";

    private static final String REPLAY = """
            UPDATE api.notification SET webhook_state = 'PENDING', attempts = 0, next_attempt_at = now(),
                retry_since = now(), last_error = NULL
            WHERE contract_id = $1 AND webhook_state = 'PARKED' AND (cardinality($2::uuid[]) = 0
                                                                      OR notification_id = ANY($2))""";

    private static final String PARKED = "SELECT " + NotificationStore.COLUMNS + " FROM api.notification "
            + "WHERE contract_id = $1 AND webhook_state = 'PARKED' AND id > $2 ORDER BY id LIMIT $3";

    private static final String STATS = """
            SELECT count(*) FILTER (WHERE webhook_state = 'PENDING') AS pending,
                   min(created_at) FILTER (WHERE webhook_state = 'PENDING') AS oldest_pending,
                   count(*) FILTER (WHERE webhook_state = 'PARKED') AS parked,
                   (SELECT failures FROM api.webhook_endpoint WHERE contract_id = $1) AS failures
            FROM api.notification WHERE contract_id = $1 AND webhook_state IN ('PENDING', 'PARKED')""";

    /** Where one endpoint stands. */
    public record Stats(long pending, Instant oldestPending, long parked, long failures) {
    }

    private final Pool pool;

    public DeliveryQueue(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Notification>> claim(Collection<UUID> busy, int perEndpoint, int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(busy.toArray(UUID[]::new), perEndpoint, limit,
                (double) lease.toMillis() / 1000)).map(NotificationStore::rowsOf);
    }

    /** Delivered: the first delivery also fixes the notification's lookup id and time (audited then). */
    public Uni<Notification> delivered(long id, Instant at) {
        return pool.preparedQuery(DELIVERED)
                .execute(Tuple.of(id, LookupIds.next(at.toEpochMilli()), at.atOffset(ZoneOffset.UTC)))
                .map(rows -> NotificationStore.rowsOf(rows).get(0));
    }

    public Uni<Void> retry(long id, String error, Instant next) {
        return pool.preparedQuery(RETRY).execute(Tuple.of(id, error, next.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<Void> park(long id, String error) {
        return pool.preparedQuery(PARK).execute(Tuple.of(id, error)).replaceWithVoid();
    }

    /** Parked notifications of the contract go back to the queue (all, or those named); gives how many. */
    public Uni<Integer> replay(UUID contractId, List<UUID> notificationIds) {
        return pool.preparedQuery(REPLAY).execute(Tuple.of(contractId, notificationIds.toArray(UUID[]::new)))
                .map(rows -> rows.rowCount());
    }

    public Uni<List<Notification>> parked(UUID contractId, long after, int limit) {
        return pool.preparedQuery(PARKED).execute(Tuple.of(contractId, after, limit)).map(NotificationStore::rowsOf);
    }

    public Uni<Stats> stats(UUID contractId) {
        return pool.preparedQuery(STATS).execute(Tuple.of(contractId)).map(rows -> {
            var row = rows.iterator().next();
            var oldest = row.getOffsetDateTime("oldest_pending");
            Long failures = row.getLong("failures");
            return new Stats(row.getLong("pending"), oldest == null ? null : oldest.toInstant(), row.getLong("parked"),
                    failures == null ? 0 : failures);
        });
    }
}
