package kh.dds.api.bulk.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The workers' side of the jobs: chunks claimed under a lease by any node ({@code FOR UPDATE SKIP LOCKED}, so that
 * nodes never wait on each other), their lines read, their results stored (VERIFIED), then ended (DONE). Every write
 * of a chunk names the lease it holds: a node whose lease expired and was taken over writes nothing.
 */
@ApplicationScoped
public class ChunkQueue {

    private final Pool pool;

    public ChunkQueue(Pool pool) {
        this.pool = pool;
    }

    /**
     * A chunk claimed: {@code state} is PENDING (to verify) or VERIFIED (its stored records to produce again: an
     * earlier lease ended between storing and producing them); {@code attempts} counts this claim.
     */
    public record Claim(UUID jobId, int chunkNo, String state, int attempts, Instant stampedAt, Integer quotaReserved,
                        String lease, BulkJob job) {
    }

    /**
     * Claims a free chunk — or one whose lease has expired — for {@code lease}. A VERIFIED chunk is taken first and
     * whatever its job's status (its lines were looked at: they are audited even when the job was cancelled since);
     * a PENDING one only while its job is QUEUED or RUNNING, round-robin: from the contract whose chunks were taken
     * least recently (one that has had none yet first), then that contract's job taken least recently, oldest job
     * first on a tie, its lowest chunk. So a contract's small job is worked beside another's huge one from its first
     * chunk on, rather than after it.
     */
    public Uni<Optional<Claim>> claim(String node, Duration lease) {
        String token = node + "/" + UUID.randomUUID();
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        WITH turn AS (
                            SELECT id, queued_at, claimed_at,
                                   max(claimed_at) OVER (PARTITION BY contract_id) AS contract_claimed_at
                            FROM api.bulk_job WHERE status IN ('QUEUED', 'RUNNING'))
                        UPDATE api.bulk_chunk c SET lease_owner = $1, lease_until = now() + make_interval(secs => $2),
                               attempts = attempts + 1, stamped_at = coalesce(stamped_at, now())
                        FROM (SELECT c2.job_id, c2.chunk_no FROM api.bulk_chunk c2 LEFT JOIN turn t ON t.id = c2.job_id
                              WHERE ((c2.state = 'PENDING' AND t.id IS NOT NULL) OR c2.state = 'VERIFIED')
                                AND (c2.lease_until IS NULL OR c2.lease_until < now())
                              ORDER BY c2.state = 'VERIFIED' DESC, t.contract_claimed_at NULLS FIRST,
                                       t.claimed_at NULLS FIRST, t.queued_at,
                                       c2.chunk_no
                              LIMIT 1 FOR UPDATE OF c2 SKIP LOCKED) free
                        WHERE c.job_id = free.job_id AND c.chunk_no = free.chunk_no
                        RETURNING c.job_id, c.chunk_no, c.state, c.attempts, c.stamped_at, c.quota_reserved""")
                .execute(Tuple.of(token, lease.toMillis() / 1000.0))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Optional.<Claim>empty());
                    }
                    Row row = rows.iterator().next();
                    UUID jobId = row.getUUID("job_id");
                    // the job's mark (RUNNING, its turn) skips a job row locked meanwhile rather than wait on it
                    // with the chunk locked: a cancel locks the job, then its pending chunks, so waiting here would
                    // deadlock with it. A missed mark only delays the job's next turn; RUNNING is set again when
                    // the chunk ends (tally)
                    return connection.preparedQuery("""
                                    UPDATE api.bulk_job SET status = CASE WHEN status = 'QUEUED' THEN 'RUNNING'
                                                                          ELSE status END,
                                           started_at = coalesce(started_at, now()), claimed_at = clock_timestamp()
                                    WHERE id = (SELECT id FROM api.bulk_job WHERE id = $1 FOR UPDATE SKIP LOCKED)""")
                            .execute(Tuple.of(jobId))
                            .chain(() -> connection.preparedQuery("SELECT " + BulkJobs.COLUMNS
                                    + " FROM api.bulk_job WHERE id = $1").execute(Tuple.of(jobId)))
                            .map(job -> Optional.of(new Claim(jobId, row.getInteger("chunk_no"),
                                    row.getString("state"), row.getInteger("attempts"),
                                    BulkJobs.instant(row, "stamped_at"), row.getInteger("quota_reserved"), token,
                                    BulkJobs.first(job).orElseThrow())));
                }));
    }

    /**
     * A line of a claimed chunk: its request (or the problem it was refused with at upload) and, once verified, what
     * its lookup record says (its result row is not read back: the worker never needs it).
     */
    public record Line(long lineNo, String kidc, String request, String problemType, String problemDetail,
                       UUID lookupId, String outcome, String decision, Integer httpStatus, Boolean billable,
                       Long latencyMicros) {
    }

    public Uni<List<Line>> lines(UUID jobId, int chunkNo) {
        return pool.preparedQuery("""
                        SELECT line_no, kidc, request, problem_type, problem_detail, lookup_id, outcome, decision,
                               http_status, billable, latency_micros
                        FROM api.bulk_line WHERE job_id = $1 AND chunk_no = $2 ORDER BY line_no""")
                .execute(Tuple.of(jobId, chunkNo))
                .map(rows -> {
                    List<Line> lines = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        Short status = row.getShort("http_status");
                        lines.add(new Line(row.getLong("line_no"), row.getString("kidc"), row.getString("request"),
                                row.getString("problem_type"), row.getString("problem_detail"),
                                row.getUUID("lookup_id"), row.getString("outcome"), row.getString("decision"),
                                status == null ? null : status.intValue(), row.getBoolean("billable"),
                                row.getLong("latency_micros")));
                    }
                    return lines;
                });
    }

    /** A verified line: its result row and what its lookup record says (the record is rebuilt from these). */
    public record Verified(long lineNo, String result, UUID lookupId, String outcome, String decision, int httpStatus,
                           boolean billable, long latencyMicros) {
    }

    /** What a chunk's lines came to. */
    public record Tally(int matched, int partial, int notMatched, int errors, int quotaExceeded) {
    }

    /**
     * Stores a chunk's results and its lines' lookup record fields and marks it VERIFIED, in one transaction — if the
     * claim still holds the chunk and it is still PENDING (not cancelled meanwhile). False when it does not.
     */
    public Uni<Boolean> storeVerified(Claim claim, List<Verified> lines, int quotaReserved, Tally tally) {
        int n = lines.size();
        Long[] numbers = new Long[n];
        String[] results = new String[n];
        UUID[] ids = new UUID[n];
        String[] outcomes = new String[n];
        String[] decisions = new String[n];
        Integer[] statuses = new Integer[n];
        Boolean[] billable = new Boolean[n];
        Long[] latencies = new Long[n];
        for (int i = 0; i < n; i++) {
            Verified line = lines.get(i);
            numbers[i] = line.lineNo();
            results[i] = line.result();
            ids[i] = line.lookupId();
            outcomes[i] = line.outcome();
            decisions[i] = line.decision();
            statuses[i] = line.httpStatus();
            billable[i] = line.billable();
            latencies[i] = line.latencyMicros();
        }
        Tuple chunk = Tuple.of(claim.jobId(), claim.chunkNo(), claim.lease(), quotaReserved, tally.matched(),
                tally.partial());
        chunk.addValue(tally.notMatched()).addValue(tally.errors()).addValue(tally.quotaExceeded());
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                UPDATE api.bulk_chunk SET state = 'VERIFIED', quota_reserved = $4, matched = $5,
                                       partial = $6, not_matched = $7, errors = $8, quota_exceeded = $9
                                WHERE job_id = $1 AND chunk_no = $2 AND lease_owner = $3 AND state = 'PENDING'""")
                .execute(chunk)
                .chain(updated -> updated.rowCount() == 0 ? Uni.createFrom().item(false)
                        : connection.preparedQuery("""
                                        UPDATE api.bulk_line l SET result = v.result, lookup_id = v.lookup_id,
                                               outcome = v.outcome, decision = v.decision, http_status = v.status,
                                               billable = v.billable, latency_micros = v.latency
                                        FROM unnest($3::bigint[], $4::text[], $5::uuid[], $6::text[], $7::text[],
                                                    $8::int4[], $9::bool[], $10::bigint[])
                                             AS v(line_no, result, lookup_id, outcome, decision, status, billable,
                                                  latency)
                                        WHERE l.job_id = $1 AND l.chunk_no = $2 AND l.line_no = v.line_no""")
                                .execute(Tuple.of(claim.jobId(), claim.chunkNo(), numbers, results, ids, outcomes)
                                        .addValue(decisions).addValue(statuses).addValue(billable)
                                        .addValue(latencies))
                                .map(ignored -> true)));
    }

    /**
     * Ends a VERIFIED chunk whose records the broker has acknowledged: DONE (its results readable), its tally added
     * to its job's, and the job COMPLETED when it was its last chunk. False when the claim no longer holds it
     * (another node ended it: it has been counted once, there).
     */
    public Uni<Boolean> markDone(Claim claim) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                UPDATE api.bulk_chunk SET state = 'DONE', lease_owner = NULL, lease_until = NULL
                                WHERE job_id = $1 AND chunk_no = $2 AND lease_owner = $3 AND state = 'VERIFIED'
                                RETURNING line_count, matched, partial, not_matched, errors, quota_exceeded""")
                .execute(Tuple.of(claim.jobId(), claim.chunkNo(), claim.lease()))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(false);
                    }
                    Row row = rows.iterator().next();
                    Tuple tally = Tuple.of(claim.jobId(), row.getInteger("line_count"), row.getInteger("matched"),
                            row.getInteger("partial"), row.getInteger("not_matched"), row.getInteger("errors"));
                    tally.addValue(row.getInteger("quota_exceeded"));
                    return connection.preparedQuery("""
                                    UPDATE api.bulk_job SET status = CASE WHEN status = 'QUEUED' THEN 'RUNNING'
                                                                          ELSE status END,
                                           started_at = coalesce(started_at, now()),
                                           lines_done = lines_done + $2 - $7, matched = matched + $3,
                                           partial = partial + $4, not_matched = not_matched + $5,
                                           errors = errors + $6, quota_exceeded = quota_exceeded + $7
                                    WHERE id = $1""").execute(tally)
                            .chain(() -> completeIfEnded(connection, claim.jobId()))
                            .map(ignored -> true);
                }));
    }

    private static Uni<Void> completeIfEnded(io.vertx.mutiny.sqlclient.SqlConnection connection, UUID jobId) {
        return connection.preparedQuery("""
                        UPDATE api.bulk_job j SET status = 'COMPLETED', finished_at = now(),
                               expires_at = now() + make_interval(days =>
                                   (SELECT bulk_retention_days FROM api.contract c WHERE c.id = j.contract_id))
                        WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')
                          AND NOT EXISTS (SELECT 1 FROM api.bulk_chunk WHERE job_id = $1
                                          AND state IN ('PENDING', 'VERIFIED'))""")
                .execute(Tuple.of(jobId)).replaceWithVoid();
    }

    /**
     * The job has reached its contract's quota: every chunk not yet claimed ends QUOTA_EXCEEDED, its lines reported
     * {@code quota-exceeded} without being looked at (neither audited nor billed). Chunks claimed already end as
     * their workers find (each reserves what is left, which is nothing).
     */
    public Uni<Long> stopForQuota(UUID jobId) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                UPDATE api.bulk_chunk SET state = 'QUOTA_EXCEEDED', quota_exceeded = line_count
                                WHERE job_id = $1 AND state = 'PENDING' AND stamped_at IS NULL
                                RETURNING line_count""")
                .execute(Tuple.of(jobId))
                .chain(rows -> {
                    long lines = 0;
                    for (Row row : rows) {
                        lines += row.getInteger("line_count");
                    }
                    return connection.preparedQuery("""
                                    UPDATE api.bulk_job SET quota_exceeded = quota_exceeded + $2,
                                           reason = coalesce(reason, 'quota-exceeded')
                                    WHERE id = $1""").execute(Tuple.of(jobId, lines))
                            .chain(() -> completeIfEnded(connection, jobId))
                            .replaceWith(lines);
                }));
    }

    /** Whether the claim's chunk has been cancelled (its job cancelled while the chunk was being verified). */
    public Uni<Boolean> cancelled(Claim claim) {
        return pool.preparedQuery("SELECT state FROM api.bulk_chunk WHERE job_id = $1 AND chunk_no = $2")
                .execute(Tuple.of(claim.jobId(), claim.chunkNo()))
                .map(rows -> !rows.iterator().hasNext()
                        || "CANCELLED".equals(rows.iterator().next().getString("state")));
    }

    /**
     * The job cannot go on (its contract or client no longer stands): FAILED with {@code reason}, its chunks not yet
     * verified CANCELLED (neither audited nor billed); chunks already verified still end DONE.
     */
    public Uni<Void> failJob(UUID jobId, String reason) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                UPDATE api.bulk_chunk SET state = 'CANCELLED', lease_owner = NULL, lease_until = NULL
                                WHERE job_id = $1 AND state = 'PENDING' RETURNING line_count""")
                .execute(Tuple.of(jobId))
                .chain(rows -> {
                    long lines = 0;
                    for (Row row : rows) {
                        lines += row.getInteger("line_count");
                    }
                    return connection.preparedQuery("""
                                    UPDATE api.bulk_job j SET status = 'FAILED', reason = $2, cancelled = cancelled + $3,
                                           finished_at = now(), expires_at = now() + make_interval(days =>
                                           (SELECT bulk_retention_days FROM api.contract c WHERE c.id = j.contract_id))
                                    WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')""")
                            .execute(Tuple.of(jobId, reason, lines)).replaceWithVoid();
                }));
    }

    /**
     * Extends the claim's lease by {@code lease} from now, while the claim still holds its chunk unfinished; false when
     * it does not (taken over after the lease expired, cancelled, or ended).
     */
    public Uni<Boolean> renew(Claim claim, Duration lease) {
        return pool.preparedQuery("""
                        UPDATE api.bulk_chunk SET lease_until = now() + make_interval(secs => $4)
                        WHERE job_id = $1 AND chunk_no = $2 AND lease_owner = $3 AND state IN ('PENDING', 'VERIFIED')""")
                .execute(Tuple.of(claim.jobId(), claim.chunkNo(), claim.lease(), lease.toMillis() / 1000.0))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Gives a claim up at once (its chunk is free again for any node), after a failure that a retry may clear. */
    public Uni<Void> release(Claim claim) {
        return pool.preparedQuery("UPDATE api.bulk_chunk SET lease_owner = NULL, lease_until = NULL WHERE job_id = $1 "
                        + "AND chunk_no = $2 AND lease_owner = $3")
                .execute(Tuple.of(claim.jobId(), claim.chunkNo(), claim.lease())).replaceWithVoid();
    }

    /** For the metrics: chunks waiting, and the age of the oldest job waiting for its first chunk to be taken. */
    public record Depth(long pendingLines, long pendingChunks, Instant oldestQueued) {
    }

    public Uni<Depth> depth() {
        return pool.query("""
                        SELECT (SELECT coalesce(sum(line_count), 0) FROM api.bulk_chunk WHERE state IN ('PENDING', 'VERIFIED'))
                                   AS lines,
                               (SELECT count(*) FROM api.bulk_chunk WHERE state IN ('PENDING', 'VERIFIED')) AS chunks,
                               (SELECT min(queued_at) FROM api.bulk_job WHERE status = 'QUEUED') AS oldest""")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Depth(row.getLong("lines"), row.getLong("chunks"), BulkJobs.instant(row, "oldest"));
                });
    }
}
