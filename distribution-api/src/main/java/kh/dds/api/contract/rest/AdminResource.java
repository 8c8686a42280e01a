package kh.dds.api.contract.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import kh.dds.api.auth.Callers;
import kh.dds.api.contract.ContractAdministration;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Administration of tariffs, contracts and clients (SPEC §4.8), scope {@code admin}. The scope is checked twice: by
 * {@code @RolesAllowed} before the body is even read (authorisation before validation, SPEC §4: a caller without the
 * scope learns nothing of the body's schema), then with the client's standing by {@link Callers#require}.
 */
@Path("/v1/admin")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "administration")
@SecurityRequirement(name = "bearer", scopes = "admin")
public class AdminResource {

    private static final String ADMIN = Scope.ADMIN.value();

    private final ContractAdministration administration;
    private final Callers callers;

    public AdminResource(ContractAdministration administration, Callers callers) {
        this.administration = administration;
        this.callers = callers;
    }

    @POST
    @Path("/tariffs")
    @Operation(summary = "Create a tariff: graduated monthly tiers per product, in whole riel")
    public Uni<Response> createTariff(@Valid @NotNull TariffRequest request) {
        return callers.require(ADMIN).chain(() -> administration.createTariff(request))
                .map(tariff -> Response.created(URI.create("/v1/admin/tariffs/" + tariff.id))
                        .entity(TariffView.of(tariff)).build());
    }

    @GET
    @Path("/tariffs")
    public Uni<List<TariffView>> tariffs() {
        return callers.require(ADMIN).chain(administration::tariffs)
                .map(tariffs -> tariffs.stream().map(TariffView::of).toList());
    }

    @GET
    @Path("/tariffs/{id}")
    public Uni<TariffView> tariff(@PathParam("id") UUID id) {
        return callers.require(ADMIN).chain(() -> administration.tariff(id)).map(TariffView::of);
    }

    @POST
    @Path("/contracts")
    @Operation(summary = "Create a contract")
    public Uni<Response> createContract(@Valid @NotNull ContractRequest request) {
        return callers.require(ADMIN).chain(() -> administration.createContract(request))
                .map(contract -> Response.created(URI.create("/v1/admin/contracts/" + contract.contract().id))
                        .entity(ContractView.of(contract)).build());
    }

    @GET
    @Path("/contracts")
    public Uni<List<ContractView>> contracts() {
        return callers.require(ADMIN).chain(administration::contracts)
                .map(contracts -> contracts.stream().map(ContractView::of).toList());
    }

    @GET
    @Path("/contracts/{id}")
    public Uni<ContractView> contract(@PathParam("id") UUID id) {
        return callers.require(ADMIN).chain(() -> administration.contract(id)).map(ContractView::of);
    }

    @PATCH
    @Path("/contracts/{id}")
    @Operation(summary = "Change a contract's status, policy, limits or tariff; a suspension is refused on every node "
            + "within seconds",
            description = "A new tariffId takes effect from tariffEffectiveFrom (default: today, Asia/Phnom_Penh) "
                    + "until the next change; months before the current one are not rewritten.")
    @APIResponse(responseCode = "200", description = "The contract as changed",
            content = @Content(schema = @Schema(implementation = ContractView.class)))
    @APIResponse(responseCode = "400", description = "invalid-request (e.g. tariffEffectiveFrom without tariffId, "
            + "or before the contract's validFrom; an unknown tariffId)",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "404", description = "not-found: no such contract",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "409", description = "tariff-change-in-closed-month: tariffEffectiveFrom is before the "
            + "first day of the current month (Asia/Phnom_Penh), which is being or has been invoiced",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Uni<ContractView> updateContract(@PathParam("id") UUID id, @Valid @NotNull ContractPatch patch) {
        return callers.require(ADMIN).chain(() -> administration.updateContract(id, patch)).map(ContractView::of);
    }

    @POST
    @Path("/contracts/{id}/clients")
    @Operation(summary = "Issue a client under a contract; the secret is in this answer alone")
    public Uni<Response> createClient(@PathParam("id") UUID id, @Valid @NotNull ClientRequest request) {
        return callers.require(ADMIN).chain(() -> request.issuer() == null && request.clientId() == null
                        ? administration.createClient(id, request.scopes())
                        : administration.registerExternalClient(id, request.scopes(), request.issuer(),
                                request.clientId()))
                .map(credentials -> Response.status(Response.Status.CREATED).entity(credentials).build());
    }

    @GET
    @Path("/contracts/{id}/clients")
    public Uni<List<ClientView>> clients(@PathParam("id") UUID id) {
        return callers.require(ADMIN).chain(() -> administration.clients(id))
                .map(clients -> clients.stream().map(ClientView::of).toList());
    }

    @POST
    @Path("/clients")
    @Operation(summary = "Issue a registry-side client (administrators, auditors), under no contract")
    public Uni<Response> createRegistryClient(@Valid @NotNull ClientRequest request) {
        return callers.require(ADMIN).chain(() -> request.issuer() == null && request.clientId() == null
                        ? administration.createClient(null, request.scopes())
                        : administration.registerExternalClient(null, request.scopes(), request.issuer(),
                                request.clientId()))
                .map(credentials -> Response.status(Response.Status.CREATED).entity(credentials).build());
    }

    @POST
    @Path("/clients/{clientId}/rotate")
    @Operation(summary = "Rotate a client's secret; the new one is in this answer alone",
            description = "The previous secret keeps working for the overlap (default api.token.rotation-overlap, "
                    + "24 h; previousSecretValidUntil in the answer) so that the integration can switch without an "
                    + "outage. overlap=PT0S (a leaked secret) stops the previous secret at once and refuses every "
                    + "token the client was issued before, on every node within seconds.")
    @APIResponse(responseCode = "200", description = "The new credentials",
            content = @Content(schema = @Schema(implementation = ClientCredentials.class)))
    @APIResponse(responseCode = "400", description = "invalid-request: overlap is not an ISO-8601 duration between "
            + "PT0S and P7D",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "404", description = "not-found: no such client",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "409", description = "client-revoked: a revoked client is not rotated",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Uni<ClientCredentials> rotate(@PathParam("clientId") String clientId,
                                         @Parameter(description = "how long the previous secret keeps working, "
                                                 + "ISO-8601 (PT0S: not at all)", example = "PT24H")
                                         @QueryParam("overlap") String overlap) {
        return callers.require(ADMIN).chain(() -> administration.rotate(clientId, overlap(overlap)));
    }

    private static Duration overlap(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw Problems.invalidRequest("overlap: not an ISO-8601 duration (e.g. PT0S, PT24H)");
        }
    }

    @DELETE
    @Path("/clients/{clientId}")
    @Operation(summary = "Revoke a client: its tokens are refused at once on this node, within seconds on every node")
    public Uni<Response> revoke(@PathParam("clientId") String clientId) {
        return callers.require(ADMIN).chain(() -> administration.revoke(clientId))
                .replaceWith(Response.noContent().build());
    }
}
