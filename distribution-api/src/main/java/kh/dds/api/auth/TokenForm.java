package kh.dds.api.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The form fields of {@code POST /oauth/token}, as the OpenAPI document shows them. The endpoint reads its body
 * itself ({@link TokenRequest}), so this record describes the body and is never bound to a request.
 */
@Schema(name = "TokenForm", description = "application/x-www-form-urlencoded; client_id and client_secret may come "
        + "in an HTTP Basic Authorization header instead (RFC 6749 §2.3.1), never in both")
public record TokenForm(
        @JsonProperty("grant_type") @Schema(required = true, enumeration = "client_credentials") String grantType,
        @JsonProperty("client_id") @Schema(maxLength = TokenRequest.MAX_CLIENT_ID) String clientId,
        @JsonProperty("client_secret") @Schema(maxLength = TokenRequest.MAX_SECRET) String clientSecret,
        @Schema(maxLength = TokenRequest.MAX_SCOPE, description = "space-separated scopes; by default all the "
                + "client holds") String scope) {
}
