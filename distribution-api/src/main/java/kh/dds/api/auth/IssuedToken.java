package kh.dds.api.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The RFC 6749 §5.1 answer of the token endpoint. */
public record IssuedToken(@JsonProperty("access_token") String accessToken,
                          @JsonProperty("token_type") String tokenType,
                          @JsonProperty("expires_in") long expiresIn,
                          String scope) {
}
