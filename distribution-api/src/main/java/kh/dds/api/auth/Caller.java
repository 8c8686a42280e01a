package kh.dds.api.auth;

import java.util.Set;

/**
 * Who a verified token says is calling.
 *
 * @param contractId the contract the client acts under, or {@code null} for the registry's own clients
 * @param issuedAt the token's {@code iat}, epoch seconds
 */
public record Caller(String clientId, String contractId, Set<String> scopes, long issuedAt) {

    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
