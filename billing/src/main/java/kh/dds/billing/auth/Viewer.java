package kh.dds.billing.auth;

import java.util.Set;
import java.util.UUID;

/** Who is asking: the token's client, its contract (none for the registry's own clients) and scopes. */
public record Viewer(String clientId, UUID contractId, Set<String> scopes) {

    public static final String USAGE = "usage";
    public static final String ADMIN = "admin";

    public boolean isAdmin() {
        return scopes.contains(ADMIN);
    }
}
