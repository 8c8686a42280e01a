package kh.dds.api.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An RFC 6749 §5.2 error: what OAuth2 client libraries expect from a token endpoint. */
public record TokenError(String error, @JsonProperty("error_description") String description) {
}
