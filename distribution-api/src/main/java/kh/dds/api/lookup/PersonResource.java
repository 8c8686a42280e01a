package kh.dds.api.lookup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kh.dds.api.call.Answer;
import kh.dds.api.call.CallContext;
import kh.dds.api.call.CallRequest;
import kh.dds.api.call.PersonalDataCalls;
import kh.dds.api.contract.Scope;
import kh.dds.api.person.PersonDirectory;
import kh.dds.api.person.ReplicaPerson;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import kh.dds.schema.event.PersonStatus;
import kh.dds.schema.lookup.Product;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/persons/{kidc}}: the fields the contract's data policy lists, nothing more (SPEC §4.2), scope
 * {@code lookup}. A retired KIdC answers {@code 410 kidc-retired}: it no longer identifies anyone, and its old record
 * is not disclosed under it (as a verification reports it {@code RETIRED} with nothing matched).
 */
@Path("/v1/persons")
@Authenticated
@Tag(name = "attribute retrieval")
@SecurityRequirement(name = "bearer", scopes = "lookup")
public class PersonResource {

    private final PersonalDataCalls calls;
    private final PersonDirectory persons;
    private final ObjectMapper mapper;

    public PersonResource(PersonalDataCalls calls, PersonDirectory persons, ObjectMapper mapper) {
        this.calls = calls;
        this.persons = persons;
        this.mapper = mapper;
    }

    @GET
    @Path("/{kidc}")
    @Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
    @Operation(summary = "Retrieve a person's attributes, limited to the contract's data policy")
    @APIResponse(responseCode = "200", description = "kidc, dataAsOf and the policy's fields in the registry's names")
    @APIResponse(responseCode = "404", description = "not-found: no person has this KIdC",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "410", description = "kidc-retired: the KIdC was merged into another",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Uni<Response> person(@PathParam("kidc") String kidc, @QueryParam("purpose") String purpose,
                                @HeaderParam("X-Operator-Id") String operatorId,
                                @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String path = "/v1/persons/" + kidc;
        CallRequest call = new CallRequest(Product.LOOKUP, Scope.LOOKUP, kidc, purpose, operatorId, idempotencyKey,
                "GET " + path + " " + purpose + " " + operatorId, null, path);
        return calls.handle(call, context -> lookup(context, kidc));
    }

    private Uni<Answer> lookup(CallContext call, String kidc) {
        return persons.find(kidc).map(found -> {
            ReplicaPerson person = found.orElseThrow(() -> Problems.notFound("no person has this KIdC"));
            if (person.status() == PersonStatus.RETIRED) {
                throw new ApiProblem(410, "kidc-retired", "The KIdC is retired",
                        "this KIdC was merged into another and identifies no one any more");
            }
            AttributePolicy.Projection projection = AttributePolicy.project(person, call.contract().dataPolicy(),
                    mapper);
            try {
                return new Answer(200, mapper.writeValueAsString(projection.body()), MediaType.APPLICATION_JSON,
                        "FOUND", projection.disclosed());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
