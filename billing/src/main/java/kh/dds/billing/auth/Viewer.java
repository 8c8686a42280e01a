package kh.dds.billing.auth;

import java.util.Set;
import java.util.UUID;

/**
 * Who is asking: the token's client, its contract (none for the registry's own clients) and scopes; the external
 * identity provider that issued the token ({@code null}: the API), and whether it is a person's (signed in at the
 * console, their contract the token's).
 */
public record Viewer(String clientId, UUID contractId, Set<String> scopes, String issuer, boolean person) {

    public static final String USAGE = "usage";
    public static final String ADMIN = "admin";

    public boolean isAdmin() {
        return scopes.contains(ADMIN);
    }
}
