package kh.dds.api.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;
import kh.dds.schema.auth.AccessTokenType;
import kh.dds.schema.auth.ClaimedIssuer;
import kh.dds.schema.auth.IssuerKeySets;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser, remembering the tokens it has verified. A relying party sends the same token for minutes;
 * verifying its RS256 signature and parsing its JSON again on every call was a third of the API's CPU (see
 * docs/benchmarks.md). A token is taken from here only byte for byte as it was verified — any change to it is a
 * different key and is verified afresh — and only until it expires or a minute has passed, whichever comes first.
 * What a token cannot say (its client revoked, its contract suspended) is checked on every call regardless.
 *
 * <p>Once its signature is verified, a token must be typed {@code at+jwt} in its header (RFC 9068 §4, which also
 * allows {@code application/at+jwt}, case-insensitively) while {@code api.token.require-access-token-type} is on:
 * otherwise any JWT ever signed with the same key for another purpose would pass for an access token. SmallRye JWT
 * does not check the type, so it is checked here.
 *
 * <p>A token of an external identity provider ({@code api.token.trusted-issuers}) is verified by a parser of its
 * own, configured with that provider's issuer, keys and audience: which one is chosen by the token's {@code iss}
 * before any verification, and the chosen parser then proves it. A token naming an issuer that is neither the API's
 * nor a trusted one goes to the API's own parser, whose issuer check refuses it. A provider's keys are read when
 * the API starts and refreshed on a thread of their own ({@link IssuerKeySets}): SmallRye JWT would otherwise fetch
 * them on the first token, on the Vert.x event loop that token arrived on.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    private static final long REVERIFY_SECONDS = 60;
    private static final int MAX_ENTRIES = 50_000;
    /** How often the trusted providers' keys are read again (sooner when a token names a key not held). */
    private static final Duration KEYS_REFRESH = Duration.ofMinutes(10);

    private record Verified(JsonWebToken token, long usableUntil) {
    }

    private final DefaultJWTParser parser;
    /**
     * One parser per trusted issuer, built from the provider's keys as last read ({@code null} until they are): a
     * parser keeps the key resolver of the first context it verified with, so new keys make a new parser.
     */
    private final Map<String, Trusted> trusted;
    private final IssuerKeySets keys;
    private final boolean requireType;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    /** A trusted issuer: its settings and the parser of its current keys. */
    private record Trusted(TokenConfig.TrustedIssuer issuer, AtomicReference<DefaultJWTParser> parser) {
    }

    public VerifiedTokens(JWTAuthContextInfo context, TokenConfig config) {
        this.parser = new DefaultJWTParser(context);
        this.trusted = config.trustedIssuers().values().stream().collect(Collectors.toUnmodifiableMap(
                TokenConfig.TrustedIssuer::issuer, issuer -> new Trusted(issuer, new AtomicReference<>())));
        this.keys = new IssuerKeySets(trusted.values().stream().map(t -> t.issuer().jwks()).distinct().toList(),
                KEYS_REFRESH, (location, jwks) -> trusted.values().stream()
                        .filter(t -> t.issuer().jwks().equals(location))
                        .forEach(t -> t.parser().set(new DefaultJWTParser(contextOf(context, t.issuer(), jwks)))));
        this.requireType = config.requireAccessTokenType();
    }

    /** The providers' keys are read as the service starts, never on the thread of a token (an event loop). */
    void start(@Observes StartupEvent start) {
        keys.start();
    }

    @PreDestroy
    void stop() {
        keys.close();
    }

    /** The API's own verification settings (groups, clock skew, algorithm) with the provider's issuer and keys. */
    private static JWTAuthContextInfo contextOf(JWTAuthContextInfo own, TokenConfig.TrustedIssuer issuer,
                                                String jwks) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(own);
        context.setIssuedBy(issuer.issuer());
        context.setPublicVerificationKey(null);
        context.setPublicKeyLocation(null);
        context.setPublicKeyContent(jwks);
        context.setExpectedAudience(Set.of(issuer.audience()));
        return context;
    }

    /** Verifies with the parser of the issuer the token names (unverified: the parser verifies it). */
    private JsonWebToken verified(String bearerToken) throws ParseException {
        if (trusted.isEmpty()) {
            return parser.parse(bearerToken);
        }
        String issuer = ClaimedIssuer.of(bearerToken);
        Trusted external = issuer == null ? null : trusted.get(issuer);
        if (external == null) {
            return parser.parse(bearerToken);
        }
        DefaultJWTParser current = external.parser().get();
        if (current == null) {
            keys.refreshSoon(external.issuer().jwks());
            throw new ParseException("the keys of " + issuer + " have not been read yet");
        }
        try {
            return current.parse(bearerToken);
        } catch (ParseException e) {
            // a key the provider rotated in since they were read, perhaps: read them again, off this thread
            keys.refreshSoon(external.issuer().jwks());
            throw e;
        }
    }

    @Override
    public JsonWebToken parse(String bearerToken) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        Verified known = verified.get(bearerToken);
        if (known != null && now < known.usableUntil()) {
            return known.token();
        }
        JsonWebToken token = verified(bearerToken);
        if (requireType && !AccessTokenType.isAccessToken(bearerToken)) {
            throw new ParseException("the token is not typed at+jwt");
        }
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(bearerToken, new Verified(token, Math.min(token.getExpirationTime(), now + REVERIFY_SECONDS)));
        return token;
    }

    @Override
    public JsonWebToken parse(String bearerToken, JWTAuthContextInfo context) throws ParseException {
        return parser.parse(bearerToken, context);
    }

    @Override
    public JsonWebToken verify(String bearerToken, PublicKey key) throws ParseException {
        return parser.verify(bearerToken, key);
    }

    @Override
    public JsonWebToken verify(String bearerToken, SecretKey key) throws ParseException {
        return parser.verify(bearerToken, key);
    }

    @Override
    public JsonWebToken verify(String bearerToken, String secret) throws ParseException {
        return parser.verify(bearerToken, secret);
    }

    @Override
    public JsonWebToken decrypt(String bearerToken, PrivateKey key) throws ParseException {
        return parser.decrypt(bearerToken, key);
    }

    @Override
    public JsonWebToken decrypt(String bearerToken, SecretKey key) throws ParseException {
        return parser.decrypt(bearerToken, key);
    }

    @Override
    public JsonWebToken decrypt(String bearerToken, String secret) throws ParseException {
        return parser.decrypt(bearerToken, secret);
    }

    @Override
    public JsonWebToken parseOnly(String bearerToken) throws ParseException {
        return parser.parseOnly(bearerToken);
    }
}
