package kh.dds.api.auth;

import java.util.Set;

/**
 * Who a verified token says is calling.
 *
 * @param contractId the contract the client acts under, or {@code null} for the registry's own clients
 * @param issuedAt the token's {@code iat}, epoch seconds
 * @param issuer the external identity provider that issued the token ({@code api.token.trusted-issuers}), or
 *        {@code null} for the API's own token endpoint
 * @param person the person who signed in at {@code clientId} (the web console), or {@code null} for a machine
 */
public record Caller(String clientId, String contractId, Set<String> scopes, long issuedAt, String issuer,
                     String person) {

    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
