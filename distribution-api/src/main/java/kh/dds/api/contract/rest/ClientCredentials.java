package kh.dds.api.contract.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A client's credentials, answered once: when the client is created and when its secret is rotated.
 *
 * @param previousSecretValidUntil after a rotation with an overlap, until when the previous secret still works
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientCredentials(String clientId, String clientSecret, UUID contractId, List<String> scopes,
                                Instant previousSecretValidUntil) {
}
