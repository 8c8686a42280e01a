package kh.dds.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    /** PBKDF2 iterations for new client secrets (the work factor; existing hashes keep theirs). */
    @WithDefault("210000")
    int secretHashIterations();
}
