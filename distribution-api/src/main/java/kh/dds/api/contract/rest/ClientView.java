package kh.dds.api.contract.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import kh.dds.api.contract.ApiClient;
import kh.dds.api.contract.ClientStatus;

/** A client as administrators see it: never its secret, nor the secret's hash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientView(String clientId, UUID contractId, List<String> scopes, ClientStatus status,
                         Instant createdAt, Instant rotatedAt, Instant revokedAt, Instant previousSecretValidUntil,
                         Instant tokensValidAfter, String issuer) {

    public static ClientView of(ApiClient c) {
        return new ClientView(c.clientId, c.contractId, c.scopes, c.status, c.createdAt, c.rotatedAt, c.revokedAt,
                c.previousSecretValidUntil, c.tokensValidAfter, c.issuer);
    }
}
