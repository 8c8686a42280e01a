package kh.dds.api.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    @Operation(summary = "Client credentials grant: a short-lived RS256 JWT for a client id and secret "
            + "(form fields, or HTTP Basic)")
    public Uni<Response> token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                               @FormParam("client_secret") String clientSecret, @FormParam("scope") String scope,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!"client_credentials".equals(grantType)) {
            throw new TokenRefused(400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
        }
        String id = clientId;
        String secret = clientSecret;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = decodeBasic(authorization.substring(6).trim());
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw TokenRefused.invalidClient();
            }
            id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        return tokens.issue(id, secret, scope).map(issued -> Response.ok(issued)
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
        return builder.build();
    }

    private static String decodeBasic(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw TokenRefused.invalidClient();
        }
    }
}
