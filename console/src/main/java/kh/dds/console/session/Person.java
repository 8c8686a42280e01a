package kh.dds.console.session;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The person signed in for this request, as the identity provider's tokens say: their name, roles and (a viewer's)
 * contract, and the access token the console calls the API and billing with, so that the console never has more
 * rights than the person.
 */
@RequestScoped
public class Person {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    public static final String AUDITOR = "auditor";

    @Inject
    @IdToken
    JsonWebToken idToken;
    @Inject
    AccessTokenCredential accessToken;
    @Inject
    SecurityIdentity identity;

    /** The sign-in name ({@code preferred_username}). */
    public String username() {
        String name = idToken.getClaim("preferred_username");
        return name == null ? idToken.getSubject() : name;
    }

    /** The name to greet the person with (may be Khmer). */
    public String displayName() {
        String name = idToken.getClaim("name");
        return name == null || name.isBlank() ? username() : name;
    }

    /** A viewer's contract, from the person's attribute at the identity provider; {@code null} for the others. */
    public String contractId() {
        Object contract = idToken.getClaim("contract_id");
        return contract == null ? null : contract.toString().replace("\"", "");
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN);
    }

    public boolean isViewer() {
        return identity.hasRole(VIEWER);
    }

    public boolean isAuditor() {
        return identity.hasRole(AUDITOR);
    }

    /** {@code Bearer <the person's access token>}. */
    public String bearer() {
        return "Bearer " + accessToken.getToken();
    }
}
