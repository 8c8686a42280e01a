package kh.dds.api.bulk.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import kh.dds.api.bulk.BulkCalls;
import kh.dds.api.bulk.BulkCalls.Admitted;
import kh.dds.api.bulk.BulkUploads;
import kh.dds.api.bulk.BulkUploads.Format;
import kh.dds.api.bulk.job.BulkJob;
import kh.dds.api.bulk.job.BulkJobs;
import kh.dds.api.call.UsageLimits;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Bulk verification (SPEC §4.3), scope {@code bulk}, product {@code BULK_VERIFY}: an upload of NDJSON or CSV lines
 * becomes a job that the bulk workers of every node verify, each line as an interactive verification would be;
 * its status, its results as they come, its cancellation. These methods run on worker threads: the upload is read
 * as a stream (blocking on the socket, 64 KiB at a time) and the results are written as they are read.
 */
@Path("/v1/bulk-verifications")
@Authenticated
@Tag(name = "bulk verification")
@SecurityRequirement(name = "bearer", scopes = "bulk")
public class BulkVerificationResource {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";

    private static final Logger LOG = Logger.getLogger(BulkVerificationResource.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_LIST = 500;

    private final BulkCalls calls;
    private final BulkUploads uploads;
    private final BulkJobs jobs;
    private final UsageLimits limits;
    private final ResultRows rows;

    public BulkVerificationResource(BulkCalls calls, BulkUploads uploads, BulkJobs jobs, UsageLimits limits,
                                    ObjectMapper mapper) {
        this.calls = calls;
        this.uploads = uploads;
        this.jobs = jobs;
        this.limits = limits;
        this.rows = new ResultRows(jobs, mapper);
    }

    @POST
    @Blocking
    @Consumes({NDJSON, CSV})
    @Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
    @Operation(summary = "Upload lines to verify (NDJSON: a §4.1 body a line; CSV: a header row naming kidc, "
            + "reference, familyName, givenName, dateOfBirth, sex, documentNumber, province, ageAtLeast, alive, "
            + "residentInProvince); streamed, never whole in memory")
    @RequestBody(required = true, content = {@Content(mediaType = NDJSON), @Content(mediaType = CSV)})
    @APIResponse(responseCode = "202", description = "The job, queued; Location names it. A repeated "
            + "Idempotency-Key answers the first job (Idempotent-Replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BulkJobView.class)))
    @APIResponse(responseCode = "400", description = "invalid-request (an unreadable CSV header, an upload cut off), "
            + "operator-missing", content = @Content(mediaType = ProblemBody.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "403", description = "scope-missing, contract-suspended, contract-expired, "
            + "product-not-allowed, unknown-purpose", content = @Content(mediaType = ProblemBody.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "413", description = "payload-too-large: beyond the upload's byte limit or the "
            + "contract's lines per job", content = @Content(mediaType = ProblemBody.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "429", description = "too-many-jobs: the contract's open jobs are at its limit",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE,
                    schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "503", description = "store-unavailable, audit-unavailable: the upload could not "
            + "be kept; no job stands", content = @Content(mediaType = ProblemBody.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemBody.class)))
    public Response upload(InputStream body, @QueryParam("purpose") String purpose,
                           @HeaderParam("X-Operator-Id") String operatorId,
                           @HeaderParam("Idempotency-Key") String idempotencyKey,
                           @HeaderParam("Content-Type") String contentType) {
        Admitted admitted = calls.admitUpload(purpose, operatorId, idempotencyKey);
        Format format = contentType != null && contentType.toLowerCase().startsWith(CSV) ? Format.CSV : Format.NDJSON;
        BulkUploads.Taken taken = uploads.take(admitted, format, purpose, operatorId, idempotencyKey, body);
        Response.ResponseBuilder response = Response.accepted(BulkJobView.of(taken.job(), Instant.now()))
                .type(MediaType.APPLICATION_JSON)
                .location(URI.create("/v1/bulk-verifications/" + taken.job().id()));
        if (taken.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    @GET
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
    @Operation(summary = "The caller's contract's jobs, newest first; page with before=<the last job's createdAt>. "
            + "Also for a viewer signed in at the web console (scope usage): the jobs of the viewer's own contract")
    @APIResponse(responseCode = "200", description = "The jobs", content = @Content(schema = @Schema(
            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
            implementation = BulkJobView.class)))
    @APIResponse(responseCode = "400", description = "invalid-request: before is not an instant, limit not 1 to "
            + MAX_LIST, content = @Content(mediaType = ProblemBody.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemBody.class)))
    public java.util.List<BulkJobView> list(
            @Parameter(description = "jobs created before this instant") @QueryParam("before") String before,
            @Parameter(description = "at most this many (default 50, at most " + MAX_LIST + ")")
            @QueryParam("limit") String limit) {
        UUID contract = calls.readableContract();
        Instant until = before(before);
        int size = limit(limit);
        Instant now = Instant.now();
        return jobs.list(until, contract, size).await().atMost(WAIT).stream()
                .map(job -> BulkJobView.of(job, now)).toList();
    }

    @GET
    @Path("/{id}")
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
    @Operation(summary = "A job's status, counts, pace and estimated completion (also for a viewer of the job's "
            + "contract signed in at the web console)")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(schema = @Schema(implementation = BulkJobView.class)))
    @APIResponse(responseCode = "404", description = "not-found: no such job of the caller's contract",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE,
                    schema = @Schema(implementation = ProblemBody.class)))
    public BulkJobView status(@PathParam("id") String id) {
        UUID contract = calls.readableContract();
        return BulkJobView.of(jobs.find(jobId(id), contract).await().atMost(WAIT).orElseThrow(() -> notFound()),
                Instant.now());
    }

    @GET
    @Path("/{id}/results")
    @Blocking
    @Produces(NDJSON)
    @Operation(summary = "The results so far, in input order, one NDJSON row a line (its number, then the §4.1 "
            + "answer or the line's problem); resumable with fromLine")
    @APIResponse(responseCode = "200", description = "The rows of the lines done so far, from fromLine on",
            content = @Content(mediaType = NDJSON))
    @APIResponse(responseCode = "404", description = "not-found", content = @Content(
            mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Response resultsNdjson(@PathParam("id") String id, @Parameter(description = "the first line to send "
            + "(default 1)") @QueryParam("fromLine") String fromLine) {
        return results(id, fromLine, false);
    }

    @GET
    @Path("/{id}/results")
    @Blocking
    @Produces(CSV)
    @Operation(summary = "The results so far as CSV, in input order")
    @APIResponse(responseCode = "200", description = "A header row, then one row a line",
            content = @Content(mediaType = CSV))
    public Response resultsCsv(@PathParam("id") String id, @QueryParam("fromLine") String fromLine) {
        return results(id, fromLine, true);
    }

    private Response results(String id, String fromLine, boolean csv) {
        BulkJob job = own(id);
        long from = fromLine(fromLine);
        StreamingOutput output = out -> rows.write(job.id(), from, csv, out);
        return Response.ok(output, csv ? CSV + "; charset=utf-8" : NDJSON).build();
    }

    @DELETE
    @Path("/{id}")
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
    @Operation(summary = "Cancel a job: lines not yet verified are neither audited nor billed")
    @APIResponse(responseCode = "200", description = "The job as it now stands (an ended job is left as it is)",
            content = @Content(schema = @Schema(implementation = BulkJobView.class)))
    @APIResponse(responseCode = "404", description = "not-found", content = @Content(
            mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public BulkJobView cancel(@PathParam("id") String id) {
        Admitted admitted = calls.admit();
        UUID jobId = jobId(id);
        BulkJobs.Cancelled cancelled = jobs.cancel(jobId, admitted.contract().id()).await().atMost(WAIT)
                .orElseThrow(() -> notFound());
        for (BulkJobs.ReservedChunk chunk : cancelled.reservedChunks()) {
            limits.releaseLines(admitted.contract().id(), jobId + ":" + chunk.chunkNo(), chunk.stampedAt())
                    .await().atMost(WAIT);
        }
        if (!cancelled.reservedChunks().isEmpty() || cancelled.job().cancelled() > 0) {
            LOG.infof("bulk job %s cancelled: %d lines not verified", jobId, cancelled.job().cancelled());
        }
        return BulkJobView.of(cancelled.job(), Instant.now());
    }

    /** The caller's contract's job; another contract's is not found, exactly as one that does not exist. */
    private BulkJob own(String id) {
        Admitted admitted = calls.admit();
        return jobs.find(jobId(id), admitted.contract().id()).await().atMost(WAIT).orElseThrow(() -> notFound());
    }

    private static UUID jobId(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // not a job id: not found, as any other
        }
        throw notFound();
    }

    private static ApiProblem notFound() {
        return Problems.notFound("no such bulk verification job");
    }

    private static Instant before(String value) {
        if (value == null) {
            return Instant.now().plusSeconds(60);
        }
        try {
            if (value.length() <= 40) {
                return Instant.parse(value);
            }
        } catch (java.time.format.DateTimeParseException e) {
            // refused below
        }
        throw Problems.invalidRequest("before: an ISO-8601 instant");
    }

    private static int limit(String value) {
        if (value == null) {
            return 50;
        }
        try {
            if (value.length() <= 4) {
                int limit = Integer.parseInt(value);
                if (limit >= 1 && limit <= MAX_LIST) {
                    return limit;
                }
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Problems.invalidRequest("limit: from 1 to " + MAX_LIST);
    }

    private static long fromLine(String value) {
        if (value == null) {
            return 1;
        }
        try {
            long line = Long.parseLong(value);
            if (line >= 1) {
                return line;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Problems.invalidRequest("fromLine: a line number, 1 or more");
    }
}
