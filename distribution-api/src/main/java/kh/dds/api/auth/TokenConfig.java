package kh.dds.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in token endpoint. Verification of tokens is SmallRye JWT's, configured with the standard
 * {@code mp.jwt.verify.*} settings: pointing those at an external identity provider's issuer and JWKS (and turning
 * {@link #enabled()} off) is all it takes to switch.
 */
@ConfigMapping(prefix = "api.token")
public interface TokenConfig {

    /** Whether {@code POST /oauth/token} issues tokens (off when an external identity provider does). */
    @WithDefault("true")
    boolean enabled();

    /** The {@code iss} of issued tokens; {@code mp.jwt.verify.issuer} must say the same. */
    String issuer();

    /** The {@code aud} of issued tokens; {@code mp.jwt.verify.audiences} must include it. */
    @WithDefault("dds-api")
    String audience();

    /** How long an issued token lives. Short: a revoked client's tokens are also refused by the API at once. */
    @WithDefault("5m")
    Duration lifetime();

    /** The RSA private key (PKCS#8 PEM) tokens are signed with: a {@code file:} or {@code classpath:} location. */
    Optional<String> signingKey();

    /** The {@code kid} of the signing key, as the published JWKS names it. */
    @WithDefault("dds-1")
    String keyId();

    /** The public keys published at {@code /oauth/jwks} (a JWKS document); by default, the verification keys. */
    Optional<String> jwks();

    /**
     * The server-side key client secrets are hashed with (HMAC-SHA256): a {@code file:} or {@code classpath:}
     * location whose content, trimmed, is at least 32 characters (the local run and {@code k8s/create-secrets.sh}
     * write 32 random bytes in base64url). Required while {@link #enabled()}. Changing it invalidates every secret
     * hashed with it: see {@link ClientSecrets}.
     */
    Optional<String> secretPepper();

    /**
     * How long a client's previous secret keeps working after a rotation, so that an integration can roll over
     * without an outage (default {@code PT24H}). A rotation may ask for none.
     */
    @WithDefault("PT24H")
    Duration rotationOverlap();

    /**
     * Whether a bearer token must be typed {@code at+jwt} (RFC 9068 §4; default {@code true}), so that no other JWT
     * signed with the same key (an ID token of an external provider, say) passes for an access token. Turn off only
     * for an external identity provider that does not type its access tokens.
     */
    @WithDefault("true")
    boolean requireAccessTokenType();

    /**
     * External identity providers whose access tokens the API accepts beside its own (Keycloak, say), by a name of
     * the operator's choice: {@code api.token.trusted-issuers.<name>.issuer} and {@code .jwks}. A token of one of
     * them is verified against that provider's keys, issuer and audience, must be typed {@code at+jwt} like the
     * API's own, and its client must be registered with the API under that issuer
     * ({@code POST /v1/admin/contracts/{id}/clients} with {@code issuer} and {@code clientId}): the contract binding,
     * revocation and suspension rules are the API's, whoever signed the token.
     */
    Map<String, TrustedIssuer> trustedIssuers();

    /** An external identity provider, and where its tokens say what the API's own tokens say. */
    interface TrustedIssuer {

        /** The provider's {@code iss}, exactly. */
        String issuer();

        /** The provider's JWKS: an {@code https:} (or local {@code http:}) URL or a {@code file:} location. */
        String jwks();

        /** The {@code aud} the provider's tokens must carry (default {@code dds-api}). */
        @WithDefault("dds-api")
        String audience();

        /** The claim naming the client (default {@code azp}, which Keycloak sets on every access token). */
        @WithDefault("azp")
        String clientIdClaim();

        /** The claim naming the client's contract (default {@code contract_id}, as the API's own tokens). */
        @WithDefault("contract_id")
        String contractClaim();

        /**
         * The provider's clients that people sign in at (the web console): a token of one of them is a person's,
         * acting through that client. The client must be registered with the API under this issuer with no
         * contract (revoking it shuts every person out at once); the person's own contract (a viewer's) is the
         * token's contract claim, which the provider maps from the person's attribute.
         */
        Optional<java.util.Set<String>> peopleClients();

        /** The claim naming the person in a person's token (default {@code preferred_username}). */
        @WithDefault("preferred_username")
        String personClaim();
    }

    /** The limits on failed attempts at {@code POST /oauth/token}. */
    Attempts attempts();

    /** The pool that checks secrets and signs tokens. */
    Pool pool();

    /**
     * Failed attempts (an unknown client, a wrong secret, a revoked client) counted in Redis in fixed windows, so
     * that the limits hold across every node. Once a client id or a source address has failed this often in the
     * current window, every attempt for it is answered {@code 429} with {@code Retry-After} until the window ends,
     * before any database read or hash.
     */
    interface Attempts {

        /** The window failures are counted in (default {@code 60s}). */
        @WithDefault("60s")
        Duration window();

        /** Failures a client id may have in a window (default {@code 10}). */
        @WithDefault("10")
        int perClient();

        /**
         * Failures a source address may have in a window (default {@code 30}). IPv6 addresses count by their /64,
         * what one subscriber usually holds.
         */
        @WithDefault("30")
        int perAddress();
    }

    /**
     * Secret checks and token signing run on a pool of their own with a bounded queue: when both are full the
     * endpoint answers {@code 503} with {@code Retry-After} at once instead of queueing, so that a burst costs its
     * senders and not the relying parties' renewals.
     */
    interface Pool {

        /** Threads of the pool (default {@code 2}: the work is CPU alone, and a pod has two cores at most). */
        @WithDefault("2")
        int threads();

        /** Requests that may wait for a thread (default {@code 64}); beyond that, {@code 503}. */
        @WithDefault("64")
        int queue();
    }
}
