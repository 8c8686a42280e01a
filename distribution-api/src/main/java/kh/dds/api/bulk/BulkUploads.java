package kh.dds.api.bulk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import kh.dds.api.audit.AuditTrail;
import kh.dds.api.bulk.BulkCalls.Admitted;
import kh.dds.api.bulk.intake.IntakeLine;
import kh.dds.api.bulk.intake.UploadReader;
import kh.dds.api.bulk.intake.UploadRefused;
import kh.dds.api.bulk.job.BulkJob;
import kh.dds.api.bulk.job.BulkJobs;
import kh.dds.api.bulk.job.StoredLine;
import kh.dds.api.call.LookupIds;
import kh.dds.api.call.PersonalDataCalls;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.Problems;
import kh.dds.api.verification.VerificationBodyReader;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.text.SafeText;
import org.jboss.logging.Logger;

/**
 * Takes a bulk upload (SPEC §4.3) as a stream: read 64 KiB at a time by {@link UploadReader}, each chunk of
 * {@code api.bulk.chunk-lines} lines written to PostgreSQL in one transaction as soon as it is complete, so that the
 * upload is never whole in memory nor only on this node. A crash mid-upload leaves a RECEIVING job saying how many
 * lines it holds; it is failed ({@code upload-interrupted}) once silent for {@code api.bulk.upload-timeout}, its lines
 * deleted — nothing of it was verified, audited or billed — and the client uploads again (an upload is not resumed:
 * a client cannot know where a cut-off stream stopped being read). An upload cut off while this node lives is
 * failed at once.
 *
 * <p>The upload itself is a call under the contract and leaves its own lookup record (product {@code BULK_VERIFY},
 * no subject, never billable: the lines are what is billed), durable before the job is queued and the {@code 202}
 * sent; each line leaves its own when it is verified.
 */
@ApplicationScoped
public class BulkUploads {

    private static final Logger LOG = Logger.getLogger(BulkUploads.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int READ_SIZE = 64 * 1024;

    private final BulkJobs jobs;
    private final BulkConfig config;
    private final AuditTrail audit;
    private final ObjectMapper mapper;
    private final VerificationBodyReader bodies;

    public BulkUploads(BulkJobs jobs, BulkConfig config, AuditTrail audit, ObjectMapper mapper) {
        this.jobs = jobs;
        this.config = config;
        this.audit = audit;
        this.mapper = mapper;
        this.bodies = new VerificationBodyReader(mapper);
    }

    /** An upload's format, from its {@code Content-Type}. */
    public enum Format {
        NDJSON, CSV
    }

    /** What an upload came to: the job, and whether it is the first job of a repeated {@code Idempotency-Key}. */
    public record Taken(BulkJob job, boolean replayed) {
    }

    /**
     * Reads the whole upload into a new job and queues it; fails with the problem to answer ({@code 413} beyond the
     * body or line limits, {@code 400} for a CSV header this API cannot read, {@code 429 too-many-jobs}).
     */
    public Taken take(Admitted admitted, Format format, String purpose, String operatorId, String idempotencyKey,
                      InputStream body) {
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID contractId = admitted.contract().id();
        BulkJobs.Opened opened = jobs.open(new BulkJobs.NewJob(contractId, admitted.caller().clientId(),
                blankToNull(operatorId), purpose, format.name(), idempotencyKey, config.maxOpenJobs()))
                .await().atMost(WAIT);
        if (opened.replayed()) {
            return new Taken(opened.job(), true);
        }
        UUID jobId = opened.job().id();
        LOG.infof("bulk job %s created for contract %s (%s)", jobId, contractId, format);
        long maxLines = jobs.maxLines(contractId, config.maxLinesPerJob()).await().atMost(WAIT);
        long bytes;
        try {
            bytes = read(jobId, format, purpose, body, maxLines);
        } catch (ApiProblem problem) {
            failQuietly(jobId, problem.name());
            throw problem;
        } catch (java.io.UncheckedIOException e) {
            failQuietly(jobId, "upload-interrupted");
            throw Problems.invalidRequest("the upload could not be read to its end");
        } catch (RuntimeException e) {
            failQuietly(jobId, "store-unavailable");
            LOG.warnf("bulk job %s: the upload could not be stored: %s", jobId, e.toString());
            throw Problems.storeUnavailable();
        }
        try {
            audit.append(uploadRecord(admitted, jobId, purpose, operatorId, receivedAt, PersonalDataCalls.ANSWERED,
                    "ACCEPTED", 202)).await().atMost(WAIT);
        } catch (RuntimeException e) {
            failQuietly(jobId, "audit-unavailable");
            throw Problems.auditUnavailable();
        }
        BulkJob queued = jobs.closeUpload(jobId, bytes).await().atMost(WAIT)
                .orElseThrow(() -> new ApiProblem(409, "job-not-receiving", "The job no longer takes lines",
                        "the job stopped receiving its upload"));
        LOG.infof("bulk job %s queued: %d lines", jobId, queued.linesReceived());
        return new Taken(queued, false);
    }

    /** Reads and stores every line; gives the bytes read. */
    private long read(UUID jobId, Format format, String purpose, InputStream body, long maxLines) {
        UploadReader reader = format == Format.CSV ? UploadReader.csv(purpose) : UploadReader.ndjson(purpose, bodies);
        byte[] buffer = new byte[READ_SIZE];
        Batch batch = new Batch(jobId, maxLines);
        try {
            int n;
            while ((n = body.read(buffer)) != -1) {
                batch.bytes += n;
                if (batch.bytes > config.maxBodyBytes()) {
                    throw tooLarge("an upload holds at most " + config.maxBodyBytes() + " bytes");
                }
                batch.add(reader.read(buffer, 0, n));
            }
            batch.add(reader.finish());
            batch.flush();
            return batch.bytes;
        } catch (UploadRefused refused) {
            throw Problems.invalidRequest(refused.getMessage());
        } catch (IOException e) {
            LOG.infof("bulk job %s: the upload was cut off after %d bytes: %s", jobId, batch.bytes, e.toString());
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The lines read and not yet written, written a chunk at a time. */
    private final class Batch {
        final UUID jobId;
        final long maxLines;
        final List<StoredLine> lines = new ArrayList<>();
        long bytes;
        long count;
        int chunkNo;

        Batch(UUID jobId, long maxLines) {
            this.jobId = jobId;
            this.maxLines = maxLines;
        }

        void add(List<IntakeLine> read) {
            for (IntakeLine line : read) {
                if (++count > maxLines) {
                    throw tooLarge("a job of this contract holds at most " + maxLines + " lines");
                }
                lines.add(stored(line));
                if (lines.size() >= config.chunkLines()) {
                    flush();
                }
            }
        }

        void flush() {
            if (lines.isEmpty()) {
                return;
            }
            jobs.appendChunk(jobId, chunkNo++, List.copyOf(lines), bytes).await().atMost(WAIT);
            lines.clear();
        }
    }

    private StoredLine stored(IntakeLine line) {
        if (line instanceof IntakeLine.Accepted accepted) {
            try {
                return new StoredLine(line.number(), SafeText.of(accepted.request().kidc(), LookupRecord.MAX_SUBJECT),
                        mapper.writeValueAsString(accepted.request()), null, null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        IntakeLine.Refused refused = (IntakeLine.Refused) line;
        return new StoredLine(line.number(), SafeText.of(refused.kidcSent(), LookupRecord.MAX_SUBJECT), null,
                refused.problem().type(), SafeText.of(refused.problem().detail(), 512));
    }

    private static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "payload-too-large", "The request body is too large", detail);
    }

    private void failQuietly(UUID jobId, String reason) {
        try {
            jobs.fail(jobId, reason).await().atMost(WAIT);
            LOG.infof("bulk job %s failed: %s", jobId, reason);
        } catch (RuntimeException e) {
            LOG.warnf("bulk job %s could not be marked failed (it will be, once silent): %s", jobId, e.toString());
        }
    }

    private static LookupRecord uploadRecord(Admitted admitted, UUID jobId, String purpose, String operatorId,
                                             Instant receivedAt, String outcome, String decision, int status) {
        long latency = ChronoUnit.MICROS.between(receivedAt, Instant.now());
        return new LookupRecord(LookupIds.next(receivedAt.toEpochMilli()).toString(), receivedAt,
                admitted.contract().id().toString(), admitted.caller().clientId(), blankToNull(operatorId), purpose,
                Product.BULK_VERIFY, null, outcome, decision, List.of(), status, false, latency)
                .withDetail("job=" + jobId).storable();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
