package kh.dds.api.verification;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kh.dds.api.call.CallRequest;
import kh.dds.api.call.PersonalDataCalls;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.schema.lookup.Product;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/verifications}: yes/no per claim, nothing disclosed (SPEC §4.1), scope {@code verify}. */
@Path("/v1/verifications")
@Authenticated
@Tag(name = "verification")
@SecurityRequirement(name = "bearer", scopes = "verify")
public class VerificationResource {

    private final PersonalDataCalls calls;
    private final VerificationService verifications;
    private final VerificationBodyReader bodies;

    public VerificationResource(PersonalDataCalls calls, VerificationService verifications, ObjectMapper mapper) {
        this.calls = calls;
        this.verifications = verifications;
        this.bodies = new VerificationBodyReader(mapper);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
    @Operation(summary = "Verify a claimed identity: MATCH, PARTIAL or NO_MATCH per claim, true/false per predicate")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = VerificationRequest.class)))
    @APIResponse(responseCode = "200", description = "The verification",
            content = @Content(schema = @Schema(implementation = VerificationResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid-request, invalid-kidc, invalid-claim, operator-missing",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "403", description = "scope-missing, contract-suspended, contract-expired, "
            + "product-not-allowed, unknown-purpose",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "429", description = "rate-limited, quota-exceeded (with Retry-After)",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "413", description = "payload-too-large: a body over 16 KiB",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "503", description = "audit-unavailable: the audit record could not be made durable; "
            + "store-unavailable: the database is away or restarting; counters-unavailable: the call could not be "
            + "counted (each with Retry-After)",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Uni<Response> verify(String body,
                                @HeaderParam("X-Operator-Id") String operatorId,
                                @HeaderParam("Idempotency-Key") String idempotencyKey) {
        VerificationBodyReader.Read read = bodies.read(body);
        VerificationRequest request = read.request();
        ApiProblem malformed = read.problem();
        String kidc = read.kidcSent();
        String purpose = request == null ? null : request.purpose();
        CallRequest call = new CallRequest(Product.VERIFY, Scope.VERIFY, request == null ? kidc : request.kidc(),
                purpose, operatorId, idempotencyKey, "POST /v1/verifications " + operatorId + " " + body, malformed,
                "/v1/verifications");
        VerificationRequest verified = request;
        return calls.handle(call, context -> verifications.verify(context, verified));
    }
}
