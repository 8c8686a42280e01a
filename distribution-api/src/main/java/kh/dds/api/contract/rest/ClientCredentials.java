package kh.dds.api.contract.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/** A client's credentials, answered once: when the client is created and when its secret is rotated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientCredentials(String clientId, String clientSecret, UUID contractId, List<String> scopes) {
}
