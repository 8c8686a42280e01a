package kh.dds.api.bulk.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import kh.dds.api.problem.ApiProblem;

/**
 * The jobs' rows: opened by an upload, filled chunk by chunk as it arrives, read by their contract (and by
 * administrators), cancelled, and deleted once their retention has passed. The workers' side is {@link ChunkQueue}.
 * Every query of a contract's job names the contract: another contract's job is not found (BOLA).
 */
@ApplicationScoped
public class BulkJobs {

    static final String COLUMNS = """
            id, contract_id, client_id, operator_id, purpose, format, status, reason, lines_received, bytes_received,
            chunks, lines_done, matched, partial, not_matched, errors, quota_exceeded, cancelled, created_at,
            queued_at, started_at, finished_at, expires_at""";

    private final Pool pool;

    public BulkJobs(Pool pool) {
        this.pool = pool;
    }

    /** What an upload asks for before a line of it is read. */
    public record NewJob(UUID contractId, String clientId, String operatorId, String purpose, String format,
                         String idempotencyKey, int defaultMaxOpenJobs) {
    }

    /** A job opened, or the first job of the same {@code Idempotency-Key} ({@code replayed}). */
    public record Opened(BulkJob job, boolean replayed) {
    }

    /**
     * Opens a RECEIVING job, unless the contract already has as many open jobs as it may ({@code 429
     * too-many-jobs}) — counted under a lock per contract, so that two nodes cannot both open the last one — or the
     * idempotency key names an earlier job, which is returned instead.
     */
    public Uni<Opened> open(NewJob job) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT pg_advisory_xact_lock(hashtext('bulk-job:' || $1))")
                .execute(Tuple.of(job.contractId().toString()))
                .chain(() -> job.idempotencyKey() == null ? Uni.createFrom().item(Optional.<BulkJob>empty())
                        : byKey(connection, job.contractId(), job.idempotencyKey()))
                .chain(earlier -> earlier.isPresent() ? Uni.createFrom().item(new Opened(earlier.get(), true))
                        : insert(connection, job).map(opened -> new Opened(opened, false))));
    }

    private Uni<Optional<BulkJob>> byKey(SqlConnection connection, UUID contractId, String key) {
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM api.bulk_job WHERE contract_id = $1 AND "
                        + "idempotency_key = $2")
                .execute(Tuple.of(contractId, key)).map(BulkJobs::first);
    }

    private Uni<BulkJob> insert(SqlConnection connection, NewJob job) {
        return connection.preparedQuery("""
                        SELECT count(*) FILTER (WHERE j.status IN ('RECEIVING', 'QUEUED', 'RUNNING')) AS open,
                               coalesce(c.bulk_max_open_jobs, $2) AS allowed
                        FROM api.contract c LEFT JOIN api.bulk_job j ON j.contract_id = c.id
                        WHERE c.id = $1 GROUP BY c.bulk_max_open_jobs""")
                .execute(Tuple.of(job.contractId(), job.defaultMaxOpenJobs()))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getLong("open") >= row.getInteger("allowed")) {
                        return Uni.createFrom().failure(new ApiProblem(429, "too-many-jobs",
                                "Too many bulk jobs open", "the contract may have " + row.getInteger("allowed")
                                + " bulk jobs receiving, queued or running at once; wait for one to end"));
                    }
                    Tuple values = Tuple.of(UUID.randomUUID(), job.contractId(), job.clientId(), job.operatorId(),
                            job.purpose(), job.format());
                    values.addValue(job.idempotencyKey());
                    return connection.preparedQuery("""
                                    INSERT INTO api.bulk_job (id, contract_id, client_id, operator_id, purpose, format,
                                                          idempotency_key, status, created_at, heartbeat_at)
                                    VALUES ($1, $2, $3, $4, $5, $6, $7, 'RECEIVING', now(), now())
                                    RETURNING\s""" + COLUMNS)
                            .execute(values).map(inserted -> first(inserted).orElseThrow());
                });
    }

    /** The most lines a job of this contract may hold. */
    public Uni<Long> maxLines(UUID contractId, long defaultMax) {
        return pool.preparedQuery("SELECT coalesce(bulk_max_lines_per_job, $2) AS max FROM api.contract WHERE id = $1")
                .execute(Tuple.of(contractId, defaultMax))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("max") : defaultMax);
    }

    /**
     * Writes one chunk of the upload in one transaction: its lines, its row (PENDING), and the job's count of lines
     * and bytes received. A crash leaves the job with exactly the chunks committed before it.
     */
    public Uni<Void> appendChunk(UUID jobId, int chunkNo, List<StoredLine> lines, long bytesReceived) {
        int n = lines.size();
        Long[] numbers = new Long[n];
        String[] kidcs = new String[n];
        String[] requests = new String[n];
        String[] types = new String[n];
        String[] details = new String[n];
        for (int i = 0; i < n; i++) {
            StoredLine line = lines.get(i);
            numbers[i] = line.lineNo();
            kidcs[i] = line.kidc();
            requests[i] = line.request();
            types[i] = line.problemType();
            details[i] = line.problemDetail();
        }
        long first = numbers[0];
        long last = numbers[n - 1];
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                INSERT INTO api.bulk_line (job_id, chunk_no, line_no, kidc, request, problem_type,
                                                       problem_detail)
                                SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[],
                                                             $7::text[])""")
                        .execute(Tuple.of(jobId, chunkNo, numbers, kidcs, requests, types).addValue(details))
                        .chain(() -> connection.preparedQuery("""
                                        INSERT INTO api.bulk_chunk (job_id, chunk_no, first_line, last_line, line_count)
                                        VALUES ($1, $2, $3, $4, $5)""")
                                .execute(Tuple.of(jobId, chunkNo, first, last, n)))
                        .chain(() -> connection.preparedQuery("""
                                        UPDATE api.bulk_job SET lines_received = lines_received + $2, bytes_received = $3,
                                               chunks = chunks + 1, heartbeat_at = now()
                                        WHERE id = $1 AND status = 'RECEIVING'""")
                                .execute(Tuple.of(jobId, n, bytesReceived)))
                        .map(updated -> {
                            if (updated.rowCount() != 1) {
                                // failed meanwhile (silent past the upload timeout, or cancelled): stop reading
                                throw new ApiProblem(409, "job-not-receiving", "The job no longer takes lines",
                                        "the job stopped receiving its upload");
                            }
                            return updated;
                        }))
                .replaceWithVoid();
    }

    /** The upload is whole: the job is QUEUED for the workers (or COMPLETED at once when it holds no line). */
    public Uni<Optional<BulkJob>> closeUpload(UUID jobId, long bytesReceived) {
        return pool.preparedQuery("""
                        UPDATE api.bulk_job j SET bytes_received = $2, heartbeat_at = now(),
                               status = CASE WHEN chunks = 0 THEN 'COMPLETED' ELSE 'QUEUED' END,
                               queued_at = now(),
                               finished_at = CASE WHEN chunks = 0 THEN now() END,
                               expires_at = CASE WHEN chunks = 0 THEN now() + make_interval(days =>
                                   (SELECT bulk_retention_days FROM api.contract c WHERE c.id = j.contract_id)) END
                        WHERE id = $1 AND status = 'RECEIVING'
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(jobId, bytesReceived)).map(BulkJobs::first);
    }

    /**
     * The upload could not be taken: the job is FAILED with {@code reason}, its lines deleted (nothing of it was
     * verified, audited or billed), and kept for the contract's retention so that its client can see why.
     */
    public Uni<Void> fail(UUID jobId, String reason) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                                UPDATE api.bulk_job j SET status = 'FAILED', reason = $2, finished_at = now(),
                                       expires_at = now() + make_interval(days =>
                                           (SELECT bulk_retention_days FROM api.contract c WHERE c.id = j.contract_id))
                                WHERE id = $1 AND status = 'RECEIVING'""")
                        .execute(Tuple.of(jobId, reason))
                        .chain(updated -> updated.rowCount() == 0 ? Uni.createFrom().voidItem()
                                : connection.preparedQuery("DELETE FROM api.bulk_chunk WHERE job_id = $1")
                                        .execute(Tuple.of(jobId))
                                        .chain(() -> connection.preparedQuery(
                                                "DELETE FROM api.bulk_line WHERE job_id = $1").execute(Tuple.of(jobId)))
                                        .replaceWithVoid()));
    }

    /** The job, if it is {@code contractId}'s ({@code null}: any contract's, for an administrator). */
    public Uni<Optional<BulkJob>> find(UUID jobId, UUID contractId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api.bulk_job WHERE id = $1 AND ($2::uuid IS NULL OR "
                        + "contract_id = $2)")
                .execute(Tuple.of(jobId, contractId)).map(BulkJobs::first);
    }

    /** Every contract's jobs, newest first, created before {@code before} (keyset paging), for administrators. */
    public Uni<List<BulkJob>> list(Instant before, UUID contractId, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api.bulk_job WHERE created_at < $1 AND ($2::uuid IS NULL "
                        + "OR contract_id = $2) ORDER BY created_at DESC LIMIT $3")
                .execute(Tuple.of(at(before), contractId, limit))
                .map(rows -> {
                    List<BulkJob> jobs = new ArrayList<>();
                    rows.forEach(row -> jobs.add(job(row)));
                    return jobs;
                });
    }

    /** What a cancellation did: the job as it now stands, and the chunks that had reserved quota and must give it back. */
    public record Cancelled(BulkJob job, List<ReservedChunk> reservedChunks) {
    }

    /** A chunk claimed before it was cancelled: it may hold a quota reservation, made at {@code stampedAt}. */
    public record ReservedChunk(int chunkNo, Instant stampedAt) {
    }

    /**
     * Cancels an open job of {@code contractId}: its chunks not yet verified are CANCELLED (never audited or billed;
     * a worker verifying one finds it cancelled when it comes to store it, and gives its reservation back); a chunk
     * already VERIFIED is still audited and made readable, since its lines were looked at. Empty when there is no
     * such job; a job already ended is returned as it is.
     */
    public Uni<Optional<Cancelled>> cancel(UUID jobId, UUID contractId) {
        return pool.withTransaction(connection -> connection.preparedQuery("SELECT " + COLUMNS + " FROM api.bulk_job "
                                + "WHERE id = $1 AND contract_id = $2 FOR UPDATE")
                .execute(Tuple.of(jobId, contractId)).map(BulkJobs::first)
                .chain(found -> {
                    if (found.isEmpty() || !found.get().status().open()) {
                        return Uni.createFrom().item(found.map(job -> new Cancelled(job, List.of())));
                    }
                    return connection.preparedQuery("""
                                    UPDATE api.bulk_chunk SET state = 'CANCELLED', lease_owner = NULL, lease_until = NULL
                                    WHERE job_id = $1 AND state = 'PENDING'
                                    RETURNING chunk_no, line_count, stamped_at""")
                            .execute(Tuple.of(jobId))
                            .chain(chunks -> {
                                List<ReservedChunk> reserved = new ArrayList<>();
                                long lines = 0;
                                for (Row row : chunks) {
                                    lines += row.getInteger("line_count");
                                    Instant stamped = instant(row, "stamped_at");
                                    if (stamped != null) {
                                        reserved.add(new ReservedChunk(row.getInteger("chunk_no"), stamped));
                                    }
                                }
                                return connection.preparedQuery("""
                                                UPDATE api.bulk_job j SET status = 'CANCELLED', cancelled = cancelled + $2,
                                                       finished_at = now(), expires_at = now() + make_interval(days =>
                                                       (SELECT bulk_retention_days FROM api.contract c
                                                        WHERE c.id = j.contract_id))
                                                WHERE id = $1 RETURNING\s""" + COLUMNS)
                                        .execute(Tuple.of(jobId, lines))
                                        .map(updated -> Optional.of(new Cancelled(first(updated).orElseThrow(),
                                                reserved)));
                            });
                }));
    }

    /** One row of a job's results: the line's number and its result (JSON), or what ended its chunk unverified. */
    public record ResultRow(long lineNo, String result, String chunkState) {
    }

    /**
     * Up to {@code limit} result rows from {@code fromLine} on, in input order, of the chunks that have ended —
     * stopping before the first chunk still being worked on, so that rows come as a prefix of the input that only
     * grows: a client that read up to line n resumes from n + 1 and misses nothing. Every line before that bound is in
     * an ended chunk (DONE, CANCELLED, QUOTA_EXCEEDED: the only other states), so the page is taken from the lines
     * alone and its chunks joined after: joined first, a job's million lines once met a plan that read them once a
     * chunk, 470 s for one page.
     */
    public Uni<List<ResultRow>> results(UUID jobId, long fromLine, int limit) {
        return pool.preparedQuery("""
                        WITH bound AS (
                            SELECT coalesce(min(first_line), 9223372036854775807) AS before FROM api.bulk_chunk
                            WHERE job_id = $1 AND state IN ('PENDING', 'VERIFIED')),
                        page AS (
                            SELECT l.line_no, l.result, l.chunk_no FROM api.bulk_line l
                            WHERE l.job_id = $1 AND l.line_no >= $2 AND l.line_no < (SELECT before FROM bound)
                            ORDER BY l.line_no LIMIT $3)
                        SELECT p.line_no, p.result, c.state FROM page p
                        JOIN api.bulk_chunk c ON c.job_id = $1 AND c.chunk_no = p.chunk_no
                        ORDER BY p.line_no""")
                .execute(Tuple.of(jobId, fromLine, limit))
                .map(rows -> {
                    List<ResultRow> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(new ResultRow(row.getLong("line_no"), row.getString("result"),
                            row.getString("state"))));
                    return out;
                });
    }

    /** Up to 100 jobs past their retention, deleted with their chunks and lines; their ids. */
    public Uni<List<UUID>> deleteExpired() {
        return pool.preparedQuery("DELETE FROM api.bulk_job WHERE id IN (SELECT id FROM api.bulk_job WHERE expires_at < now() "
                        + "LIMIT 100) RETURNING id")
                .execute().map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    /** RECEIVING jobs whose upload has been silent since {@code before}: their ids. */
    public Uni<List<UUID>> silentUploads(Instant before) {
        return pool.preparedQuery("SELECT id FROM api.bulk_job WHERE status = 'RECEIVING' AND heartbeat_at < $1 LIMIT 100")
                .execute(Tuple.of(at(before)))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Optional<BulkJob> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(job(iterator.next())) : Optional.empty();
    }

    static BulkJob job(Row row) {
        return new BulkJob(row.getUUID("id"), row.getUUID("contract_id"), row.getString("client_id"),
                row.getString("operator_id"), row.getString("purpose"), row.getString("format"),
                BulkJobStatus.valueOf(row.getString("status")), row.getString("reason"),
                row.getLong("lines_received"), row.getLong("bytes_received"), row.getInteger("chunks"),
                row.getLong("lines_done"), row.getLong("matched"), row.getLong("partial"),
                row.getLong("not_matched"), row.getLong("errors"), row.getLong("quota_exceeded"),
                row.getLong("cancelled"), instant(row, "created_at"), instant(row, "queued_at"),
                instant(row, "started_at"), instant(row, "finished_at"), instant(row, "expires_at"));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
