package kh.dds.api.notification.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** The window of due notifications read per endpoint and claim, in claims' worth. */
    private static final int WINDOW_PER_CLAIM = 8;

    /**
     * Per endpoint not at its bound ($7), a window of at most $5 due notifications, read in (next_attempt_at, id)
     * order from {@code notification_due_by_contract}; of those, the heads of their KIdC (no earlier one pending) are
     * claimed, at most $2 an endpoint (or the room $6 left to the endpoints $1 with deliveries in flight) and $3 in
     * all, and those behind an earlier one are put back a second so that the
     * next window looks past them. The work is bounded by endpoints × $5, however many are pending. A claimed
     * notification is leased ($4 seconds): its next attempt is due when the lease ends, should its node stop. The
     * first attempt starts the retry budget ({@code retry_since}), returned as {@code created_at}.
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT d.id, d.contract_id, d.kidc, d.sequence, d.lease_until
                FROM api.webhook_endpoint w
                CROSS JOIN LATERAL (
                    SELECT id, contract_id, kidc, sequence, lease_until FROM api.notification
                    WHERE contract_id = w.contract_id AND webhook_state = 'PENDING' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at, id LIMIT $5) d
                WHERE NOT (w.contract_id = ANY($7))),
            heads AS (
                SELECT u.id, u.contract_id, u.lease_until, NOT EXISTS (
                    SELECT 1 FROM api.notification e
                    WHERE e.webhook_state = 'PENDING' AND e.contract_id = u.contract_id AND e.kidc = u.kidc
                      AND (e.sequence, e.id) < (u.sequence, u.id)) AS head
                FROM due u),
            picked AS (
                SELECT id FROM (
                    SELECT id, contract_id, row_number() OVER (PARTITION BY contract_id ORDER BY id) AS r
                    FROM heads WHERE head AND (lease_until IS NULL OR lease_until < now())) h
                WHERE r <= coalesce((SELECT x.room FROM unnest($1::uuid[], $6::int[]) AS x(contract_id, room)
                                     WHERE x.contract_id = h.contract_id), $2)
                LIMIT $3),
            locked AS (
                SELECT id FROM api.notification WHERE id = ANY(ARRAY(SELECT id FROM picked))
                  AND webhook_state = 'PENDING'
                FOR UPDATE SKIP LOCKED),
            behind AS (
                UPDATE api.notification SET next_attempt_at = now() + interval '1 second'
                WHERE id = ANY(ARRAY(SELECT id FROM api.notification
                                     WHERE id = ANY(ARRAY(SELECT id FROM heads WHERE NOT head))
                                       AND webhook_state = 'PENDING' FOR UPDATE SKIP LOCKED)))
            UPDATE api.notification n SET lease_until = now() + make_interval(secs => $4),
                next_attempt_at = now() + make_interval(secs => $4), attempts = n.attempts + 1,
                retry_since = coalesce(n.retry_since, now())
            FROM locked l
            WHERE n.id = l.id
            RETURNING n.id, n.notification_id, n.contract_id, n.kidc, n.sequence, n.type, n.body,
                      n.fields_disclosed::text AS fields_disclosed, n.lookup_id, n.delivered_at, n.delivered_by,
                      n.audited_at, n.webhook_state, n.attempts, n.retry_since AS created_at, n.last_error""";

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
                retry_since = NULL, last_error = NULL
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

    /**
     * Claims due notifications, at most {@code perEndpoint} an endpoint — only the room left for those with
     * deliveries in flight ({@code inFlight}), none for those at the bound — and {@code limit} in all, each leased
     * for {@code lease}; their {@code createdAt} is when their retry budget started.
     */
    public Uni<List<Notification>> claim(Map<UUID, Integer> inFlight, int perEndpoint, int limit, Duration lease) {
        List<UUID> partly = new ArrayList<>();
        List<Integer> rooms = new ArrayList<>();
        List<UUID> full = new ArrayList<>();
        inFlight.forEach((contract, count) -> {
            if (count >= perEndpoint) {
                full.add(contract);
            } else if (count > 0) {
                partly.add(contract);
                rooms.add(perEndpoint - count);
            }
        });
        Tuple parameters = Tuple.from(List.of(partly.toArray(UUID[]::new), perEndpoint, limit,
                (double) lease.toMillis() / 1000, perEndpoint * WINDOW_PER_CLAIM, rooms.toArray(Integer[]::new),
                full.toArray(UUID[]::new)));
        // the planner's estimate of the window (an endpoint count times $5) is high enough for PostgreSQL to JIT-
        // compile the statement at each execution: about a second for a query that itself takes milliseconds
        return pool.withTransaction(connection -> connection.query("SET LOCAL jit = off").execute()
                        .chain(() -> connection.preparedQuery(CLAIM).execute(parameters)))
                .map(NotificationStore::rowsOf);
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
