package kh.dds.api.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;
import kh.dds.schema.auth.AccessTokenType;
import kh.dds.schema.auth.ClaimedIssuer;
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
 * nor a trusted one goes to the API's own parser, whose issuer check refuses it.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    private static final long REVERIFY_SECONDS = 60;
    private static final int MAX_ENTRIES = 50_000;

    private record Verified(JsonWebToken token, long usableUntil) {
    }

    private final DefaultJWTParser parser;
    /** One parser per trusted issuer: a parser keeps the key resolver of the first context it verified with. */
    private final Map<String, DefaultJWTParser> trusted;
    private final boolean requireType;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    public VerifiedTokens(JWTAuthContextInfo context, TokenConfig config) {
        this.parser = new DefaultJWTParser(context);
        this.trusted = config.trustedIssuers().values().stream().collect(Collectors.toUnmodifiableMap(
                TokenConfig.TrustedIssuer::issuer, issuer -> new DefaultJWTParser(contextOf(context, issuer))));
        this.requireType = config.requireAccessTokenType();
    }

    /** The API's own verification settings (groups, clock skew, algorithm) with the provider's issuer and keys. */
    private static JWTAuthContextInfo contextOf(JWTAuthContextInfo own, TokenConfig.TrustedIssuer issuer) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(own);
        context.setIssuedBy(issuer.issuer());
        context.setPublicVerificationKey(null);
        context.setPublicKeyContent(null);
        context.setPublicKeyLocation(issuer.jwks());
        context.setExpectedAudience(Set.of(issuer.audience()));
        return context;
    }

    /** The parser for the issuer the token names (unverified: the parser verifies it). */
    private DefaultJWTParser parserFor(String bearerToken) {
        if (trusted.isEmpty()) {
            return parser;
        }
        String issuer = ClaimedIssuer.of(bearerToken);
        DefaultJWTParser external = issuer == null ? null : trusted.get(issuer);
        return external == null ? parser : external;
    }

    @Override
    public JsonWebToken parse(String bearerToken) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        Verified known = verified.get(bearerToken);
        if (known != null && now < known.usableUntil()) {
            return known.token();
        }
        JsonWebToken token = parserFor(bearerToken).parse(bearerToken);
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
