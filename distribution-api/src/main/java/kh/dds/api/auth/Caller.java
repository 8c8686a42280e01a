package kh.dds.api.auth;

import java.util.Set;

/**
 * Who a verified token says is calling.
 *
 * @param contractId the contract the client acts under, or {@code null} for the registry's own clients
 */
public record Caller(String clientId, String contractId, Set<String> scopes) {

    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
