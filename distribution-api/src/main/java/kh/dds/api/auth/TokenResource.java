package kh.dds.api.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** {@code POST /oauth/token} (client credentials) and {@code GET /oauth/jwks} (the keys tokens are signed with). */
@Path("/oauth")
@PermitAll
@Tag(name = "authentication")
public class TokenResource {

    private final TokenService tokens;
    private final SigningKey signingKey;

    public TokenResource(TokenService tokens, SigningKey signingKey) {
        this.tokens = tokens;
        this.signingKey = signingKey;
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Client credentials grant: a short-lived RS256 JWT (typ at+jwt) for a client id and secret "
            + "(form fields, or HTTP Basic)",
            description = "Failed attempts are limited per client id and per source address across every node: "
                    + "beyond the limit, 429 with Retry-After until the window ends. When the endpoint is busy, 503 "
                    + "with Retry-After at once. Errors are RFC 6749 error objects, not problem documents.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = TokenForm.class)))
    @APIResponse(responseCode = "200", description = "The token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedToken.class)))
    @APIResponse(responseCode = "400", description = "invalid_request, unsupported_grant_type, invalid_scope, "
            + "unauthorized_client (the contract is suspended or not in force)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenError.class)))
    @APIResponse(responseCode = "401", description = "invalid_client: unknown client, wrong secret, revoked client, "
            + "or unreadable credentials",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenError.class)))
    @APIResponse(responseCode = "429", description = "too_many_attempts: too many failed attempts for this client id "
            + "or from this address; Retry-After says when to try again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenError.class)))
    @APIResponse(responseCode = "503", description = "temporarily_unavailable: the endpoint is busy; Retry-After",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenError.class)))
    public Uni<Response> token(byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @Context HttpServerRequest request) {
        TokenRequest parsed = TokenRequest.parse(body, authorization);
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return tokens.issue(parsed, address).map(issued -> Response.ok(issued)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build());
    }

    @GET
    @Path("/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public keys tokens are signed with (RFC 7517 JWK set)")
    public ObjectNode jwks() {
        return signingKey.jwks();
    }

    @ServerExceptionMapper
    public Response refused(TokenRefused refused) {
        Response.ResponseBuilder builder = Response.status(refused.status()).type(MediaType.APPLICATION_JSON)
                .entity(refused.body()).header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (refused.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"dds\"");
        }
        if (refused.retryAfterSeconds() > 0) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
        }
        return builder.build();
    }
}
