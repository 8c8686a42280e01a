package kh.dds.api.bulk.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import kh.dds.api.auth.Callers;
import kh.dds.api.bulk.job.BulkJobs;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.Problems;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /v1/admin/bulk-verifications}: every contract's bulk jobs, for operators (scope {@code admin}). */
@Path("/v1/admin/bulk-verifications")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "administration")
@SecurityRequirement(name = "bearer", scopes = "admin")
public class BulkAdminResource {

    private static final int MAX_LIMIT = 500;

    private final BulkJobs jobs;
    private final Callers callers;

    public BulkAdminResource(BulkJobs jobs, Callers callers) {
        this.jobs = jobs;
        this.callers = callers;
    }

    @GET
    @Operation(summary = "Bulk jobs, newest first; page with before=<the last job's createdAt>")
    public Uni<List<BulkJobView>> list(
            @Parameter(description = "only this contract's jobs") @QueryParam("contract") String contract,
            @Parameter(description = "jobs created before this instant") @QueryParam("before") String before,
            @Parameter(description = "at most this many (default 100, at most 500)") @QueryParam("limit") Integer limit) {
        UUID contractId = uuid(contract);
        Instant until = instant(before);
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            return Uni.createFrom().failure(Problems.invalidRequest("limit: from 1 to " + MAX_LIMIT));
        }
        Instant now = Instant.now();
        return callers.require(Scope.ADMIN.value())
                .chain(() -> jobs.list(until, contractId, size))
                .map(found -> found.stream().map(job -> BulkJobView.of(job, now)).toList());
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw Problems.invalidRequest("contract: a contract id");
    }

    private static Instant instant(String value) {
        if (value == null) {
            return Instant.now().plusSeconds(60);
        }
        try {
            if (value.length() <= 40) {
                return Instant.parse(value);
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw Problems.invalidRequest("before: an ISO-8601 instant");
    }
}
