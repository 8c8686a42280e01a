package kh.dds.api.bulk.job;

import java.time.Instant;
import java.util.UUID;

/** A bulk job's row as the API reads it. */
public record BulkJob(UUID id, UUID contractId, String clientId, String operatorId, String purpose, String format,
                      BulkJobStatus status, String reason, long linesReceived, long bytesReceived, int chunks,
                      long linesDone, long matched, long partial, long notMatched, long errors, long quotaExceeded,
                      long cancelled, Instant createdAt, Instant queuedAt, Instant startedAt, Instant finishedAt,
                      Instant expiresAt) {
}
