package kh.dds.billing.auth;

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
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;
import kh.dds.schema.auth.ClaimedIssuer;
import kh.dds.schema.auth.IssuerKeySets;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser, one per issuer billing trusts: the token's claimed {@code iss} picks the parser (the API's
 * own, configured by {@code mp.jwt.verify.*}, or an external provider's), which then verifies signature, issuer,
 * audience and expiry with that issuer's keys. An issuer billing does not trust goes to the API's parser and fails
 * its issuer check. A provider's keys are read when billing starts and refreshed on a thread of their own
 * ({@link IssuerKeySets}): SmallRye JWT would otherwise fetch them on the first token, on an event loop.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class IssuerRoutedTokens implements JWTParser {

    /** How often the trusted providers' keys are read again (sooner when a token names a key not held). */
    private static final Duration KEYS_REFRESH = Duration.ofMinutes(10);

    private final DefaultJWTParser own;
    /**
     * One parser per trusted issuer, built from the provider's keys as last read ({@code null} until they are): a
     * parser keeps the key resolver of the first context it verified with, so new keys make a new parser.
     */
    private final Map<String, Trusted> trusted;
    private final IssuerKeySets keys;

    /** A trusted issuer: its settings and the parser of its current keys. */
    private record Trusted(TokenIssuers.TrustedIssuer issuer, AtomicReference<DefaultJWTParser> parser) {
    }

    public IssuerRoutedTokens(JWTAuthContextInfo context, TokenIssuers issuers) {
        this.own = new DefaultJWTParser(context);
        this.trusted = issuers.trustedIssuers().values().stream().collect(Collectors.toUnmodifiableMap(
                TokenIssuers.TrustedIssuer::issuer, issuer -> new Trusted(issuer, new AtomicReference<>())));
        this.keys = new IssuerKeySets(trusted.values().stream().map(t -> t.issuer().jwks()).distinct().toList(),
                KEYS_REFRESH, (location, jwks) -> trusted.values().stream()
                        .filter(t -> t.issuer().jwks().equals(location))
                        .forEach(t -> t.parser().set(new DefaultJWTParser(contextOf(context, t.issuer(), jwks)))));
    }

    /** The providers' keys are read as billing starts, never on the thread of a token (an event loop). */
    void start(@Observes StartupEvent start) {
        keys.start();
    }

    @PreDestroy
    void stop() {
        keys.close();
    }

    private static JWTAuthContextInfo contextOf(JWTAuthContextInfo own, TokenIssuers.TrustedIssuer issuer,
                                                String jwks) {
        JWTAuthContextInfo external = new JWTAuthContextInfo(own);
        external.setIssuedBy(issuer.issuer());
        external.setPublicVerificationKey(null);
        external.setPublicKeyLocation(null);
        external.setPublicKeyContent(jwks);
        external.setExpectedAudience(Set.of(issuer.audience()));
        return external;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (trusted.isEmpty()) {
            return own.parse(token);
        }
        String issuer = ClaimedIssuer.of(token);
        Trusted external = issuer == null ? null : trusted.get(issuer);
        if (external == null) {
            return own.parse(token);
        }
        DefaultJWTParser current = external.parser().get();
        if (current == null) {
            keys.refreshSoon(external.issuer().jwks());
            throw new ParseException("the keys of " + issuer + " have not been read yet");
        }
        try {
            return current.parse(token);
        } catch (ParseException e) {
            // a key the provider rotated in since they were read, perhaps: read them again, off this thread
            keys.refreshSoon(external.issuer().jwks());
            throw e;
        }
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return own.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return own.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return own.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return own.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return own.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return own.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return own.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return own.parseOnly(token);
    }
}
