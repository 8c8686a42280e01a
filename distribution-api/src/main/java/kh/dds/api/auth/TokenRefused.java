package kh.dds.api.auth;

/** The token endpoint refuses: answered as an RFC 6749 error, not as a problem document. */
public class TokenRefused extends RuntimeException {

    private final int status;
    private final String error;
    /** Seconds to wait before trying again ({@code Retry-After}), or 0 for none. */
    private final long retryAfterSeconds;

    public TokenRefused(int status, String error, String description) {
        this(status, error, description, 0);
    }

    private TokenRefused(int status, String error, String description, long retryAfterSeconds) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static TokenRefused invalidClient() {
        return new TokenRefused(401, "invalid_client", "unknown client, wrong secret, or the client was revoked");
    }

    /** RFC 6749 §5.2 {@code invalid_request}: a parameter missing, repeated, malformed or too long. */
    public static TokenRefused invalidRequest(String description) {
        return new TokenRefused(400, "invalid_request", description);
    }

    /**
     * Too many failed attempts for this client id or from this address. RFC 6749 has no code for it; RFC 6585's
     * {@code 429} with {@code Retry-After} is what clients back off on, and the body keeps the token endpoint's
     * error shape.
     */
    public static TokenRefused tooManyAttempts(long retryAfterSeconds) {
        return new TokenRefused(429, "too_many_attempts", "too many failed attempts for this client or from this "
                + "address; retry after " + retryAfterSeconds + " s", retryAfterSeconds);
    }

    /** The checking pool is full: RFC 6749's {@code temporarily_unavailable}, answered at once. */
    public static TokenRefused busy(long retryAfterSeconds) {
        return new TokenRefused(503, "temporarily_unavailable", "the token endpoint is busy; retry after "
                + retryAfterSeconds + " s", retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public TokenError body() {
        return new TokenError(error, getMessage());
    }
}
