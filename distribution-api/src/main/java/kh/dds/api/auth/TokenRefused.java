package kh.dds.api.auth;

/** The token endpoint refuses: answered as an RFC 6749 error, not as a problem document. */
public class TokenRefused extends RuntimeException {

    private final int status;
    private final String error;

    public TokenRefused(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static TokenRefused invalidClient() {
        return new TokenRefused(401, "invalid_client", "unknown client, wrong secret, or the client was revoked");
    }

    public int status() {
        return status;
    }

    public TokenError body() {
        return new TokenError(error, getMessage());
    }
}
