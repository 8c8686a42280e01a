package kh.dds.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import kh.dds.api.config.Locations;

/**
 * The key the token endpoint signs with, and the public keys it publishes as a JWKS. The private key is read once
 * from {@code api.token.signing-key} (a PKCS#8 PEM: a mounted secret in production, a file {@code bin/dds-up}
 * generates locally, a test key under {@code src/test/resources} in tests); it is never logged and never served.
 */
@ApplicationScoped
public class SigningKey {

    private static final List<String> PUBLIC_MEMBERS = List.of("kty", "use", "alg", "kid", "n", "e", "crv", "x",
            "y", "x5c", "x5t", "x5t#S256");

    private final TokenConfig config;
    private final ObjectMapper mapper;
    private volatile PrivateKey privateKey;
    private volatile ObjectNode jwks;

    public SigningKey(TokenConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    public String keyId() {
        return config.keyId();
    }

    public PrivateKey privateKey() {
        PrivateKey key = privateKey;
        if (key == null) {
            synchronized (this) {
                if (privateKey == null) {
                    privateKey = readPrivateKey(config.signingKey().orElseThrow(() -> new IllegalStateException(
                            "api.token.signing-key is not set: the token endpoint has no key to sign with")));
                }
                key = privateKey;
            }
        }
        return key;
    }

    /** The published key set: {@code api.token.jwks} when given (key rotation), else the signing key's public half. */
    public ObjectNode jwks() {
        ObjectNode set = jwks;
        if (set == null) {
            set = config.jwks().map(location -> publicOnly(Locations.read(location))).orElseGet(this::fromSigningKey);
            jwks = set;
        }
        return set;
    }

    private ObjectNode fromSigningKey() {
        if (!(privateKey() instanceof RSAPrivateCrtKey rsa)) {
            throw new IllegalStateException("api.token.signing-key must be an RSA private key with its CRT parameters");
        }
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        ObjectNode key = mapper.createObjectNode()
                .put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", config.keyId())
                .put("n", encoder.encodeToString(unsigned(rsa.getModulus().toByteArray())))
                .put("e", encoder.encodeToString(unsigned(rsa.getPublicExponent().toByteArray())));
        ObjectNode set = mapper.createObjectNode();
        set.putArray("keys").add(key);
        return set;
    }

    /** A JWKS with every private member dropped, whatever the configured document held. */
    private ObjectNode publicOnly(byte[] document) {
        try {
            ObjectNode source = (ObjectNode) mapper.readTree(document);
            ObjectNode set = mapper.createObjectNode();
            ArrayNode keys = set.putArray("keys");
            for (var key : source.withArray("keys")) {
                ObjectNode published = mapper.createObjectNode();
                for (String member : PUBLIC_MEMBERS) {
                    if (key.has(member)) {
                        published.set(member, key.get(member));
                    }
                }
                keys.add(published);
            }
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException("api.token.jwks is not a JWKS document", e);
        }
    }

    private PrivateKey readPrivateKey(String location) {
        String pem = new String(Locations.read(location), StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("api.token.signing-key is not an RSA private key in PKCS#8 PEM", e);
        }
    }

    private static byte[] unsigned(byte[] bytes) {
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

}
