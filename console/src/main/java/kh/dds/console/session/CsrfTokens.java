package kh.dds.console.session;

import io.quarkus.oidc.IdToken;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import kh.dds.console.ConsoleConfig;
import kh.dds.console.http.Backend;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Cross-site request forgery: every form of the console carries {@code csrf}, an HMAC of the person's sign-in
 * session at the identity provider ({@code sid} of the ID token, else its subject and time of authentication), and
 * every change checks it. A page of another site cannot read it, and it changes with each sign-in. The session
 * cookie is also {@code SameSite=Lax}, so that a cross-site form post does not even carry it.
 * Templates read it as {@code {inject:csrf.token}}.
 */
@RequestScoped
@Named("csrf")
public class CsrfTokens {

    public static final String PARAMETER = "csrf";

    /** {@code @IdToken} qualifies fields and methods only. */
    @Inject
    @IdToken
    JsonWebToken idToken;
    private final byte[] key;

    public CsrfTokens(ConsoleConfig config) {
        this.key = config.csrfKey().getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalStateException("console.csrf-key must have at least 32 characters");
        }
    }

    public String getParameterName() {
        return PARAMETER;
    }

    /** The token of the signed-in person's session. */
    public String getToken() {
        Object sid = idToken.getClaim("sid");
        Object authTime = idToken.getClaim("auth_time");
        String session = sid != null ? sid.toString() : idToken.getSubject() + "@" + authTime;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(session.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses a change whose form does not carry this session's token. */
    public void check(String token) {
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                getToken().getBytes(StandardCharsets.UTF_8))) {
            throw new Backend.Refused(403, "The form has expired",
                    "the form was not sent from this console's page of your current sign-in: reload the page");
        }
    }
}
