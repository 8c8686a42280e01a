package kh.dds.api.bulk.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import kh.dds.api.bulk.job.BulkJob;
import kh.dds.api.bulk.job.BulkJobStatus;

/**
 * A bulk job as its contract sees it (SPEC §4.3): status, counts, pace and estimated completion. Lines {@code done}
 * have their result row; {@code quotaExceeded} and {@code cancelled} lines were never looked at.
 *
 * @param reason            why a job failed or stopped early (a problem type), if it did
 * @param linesPerSecond    lines done a second since the job started (until it ended)
 * @param estimatedCompletion at the pace so far, while the job runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BulkJobView(UUID id, UUID contractId, BulkJobStatus status, String reason, String purpose,
                          String format, long linesReceived, long linesDone, long matched, long partial,
                          long notMatched, long errors, long quotaExceeded, long cancelled, Double linesPerSecond,
                          Instant estimatedCompletion, Instant createdAt, Instant startedAt, Instant finishedAt,
                          Instant expiresAt, String results) {

    public static BulkJobView of(BulkJob job, Instant now) {
        Double rate = null;
        Instant eta = null;
        if (job.startedAt() != null) {
            Instant until = job.finishedAt() != null ? job.finishedAt() : now;
            double seconds = Math.max(0.001, Duration.between(job.startedAt(), until).toMillis() / 1000.0);
            rate = Math.round(job.linesDone() / seconds * 10) / 10.0;
            long remaining = job.linesReceived() - job.linesDone() - job.quotaExceeded() - job.cancelled();
            if (job.status() == BulkJobStatus.RUNNING && rate > 0 && remaining > 0) {
                eta = now.plusMillis((long) (remaining / rate * 1000));
            }
        }
        return new BulkJobView(job.id(), job.contractId(), job.status(), job.reason(), job.purpose(), job.format(),
                job.linesReceived(), job.linesDone(), job.matched(), job.partial(), job.notMatched(), job.errors(),
                job.quotaExceeded(), job.cancelled(), rate, eta, job.createdAt(), job.startedAt(), job.finishedAt(),
                job.expiresAt(), "/v1/bulk-verifications/" + job.id() + "/results");
    }
}
