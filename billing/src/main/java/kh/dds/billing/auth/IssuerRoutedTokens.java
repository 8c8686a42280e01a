package kh.dds.billing.auth;

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
import java.util.stream.Collectors;
import javax.crypto.SecretKey;
import kh.dds.schema.auth.ClaimedIssuer;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser, one per issuer billing trusts: the token's claimed {@code iss} picks the parser (the API's
 * own, configured by {@code mp.jwt.verify.*}, or an external provider's), which then verifies signature, issuer,
 * audience and expiry with that issuer's keys. An issuer billing does not trust goes to the API's parser and fails
 * its issuer check.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class IssuerRoutedTokens implements JWTParser {

    private final DefaultJWTParser own;
    /** One parser per issuer: a parser keeps the key resolver of the first context it verified with. */
    private final Map<String, DefaultJWTParser> trusted;

    public IssuerRoutedTokens(JWTAuthContextInfo context, TokenIssuers issuers) {
        this.own = new DefaultJWTParser(context);
        this.trusted = issuers.trustedIssuers().values().stream().collect(Collectors.toUnmodifiableMap(
                TokenIssuers.TrustedIssuer::issuer, issuer -> {
                    JWTAuthContextInfo external = new JWTAuthContextInfo(context);
                    external.setIssuedBy(issuer.issuer());
                    external.setPublicVerificationKey(null);
                    external.setPublicKeyContent(null);
                    external.setPublicKeyLocation(issuer.jwks());
                    external.setExpectedAudience(Set.of(issuer.audience()));
                    return new DefaultJWTParser(external);
                }));
    }

    private DefaultJWTParser parserFor(String token) {
        if (trusted.isEmpty()) {
            return own;
        }
        String issuer = ClaimedIssuer.of(token);
        DefaultJWTParser external = issuer == null ? null : trusted.get(issuer);
        return external == null ? own : external;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return parserFor(token).parse(token);
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
