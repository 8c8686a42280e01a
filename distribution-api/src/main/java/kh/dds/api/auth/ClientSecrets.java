package kh.dds.api.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import kh.dds.api.config.Locations;

/**
 * Client secrets: generated at random, shown once, stored only as a keyed hash.
 *
 * <p>A secret is 32 random bytes. Against 2<sup>256</sup> candidates a slow hash buys nothing: no one tries them one
 * by one, however fast each try is. What a slow hash does buy is cost to the server on every attempt, right or wrong
 * (PBKDF2 at 210,000 iterations was ~100 ms of a core), which let a few dozen bad requests a second starve every
 * relying party's renewals. So a secret is stored as {@code hmac-sha256$<HMAC-SHA256(pepper, secret)>} (base64url):
 * microseconds to check, and the pepper ({@code api.token.secret-pepper}) lives outside the database, so a copy of
 * {@code api.api_client} alone does not even let anyone test a guess. No salt: a salt defends against precomputed
 * tables, and there is no table of 2<sup>256</sup> values. Comparison is constant-time.
 *
 * <p>Hashes written before are {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} and keep working: a secret is
 * checked by its stored scheme, and {@link TokenService} re-hashes a PBKDF2 secret with HMAC on its first successful
 * use, so the slow hash disappears from an installation as its clients renew. Changing the pepper invalidates every
 * HMAC-hashed secret (rotate the clients afterwards); it is a key, and kept like the token signing key.
 */
@ApplicationScoped
public class ClientSecrets {

    static final String HMAC = "hmac-sha256";
    static final String PBKDF2 = "pbkdf2-sha256";
    /** Pepper content shorter than this is refused: a guessable pepper is no key. */
    private static final int MIN_PEPPER_LENGTH = 32;
    private static final int PBKDF2_HASH_BITS = 256;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();
    private final TokenConfig config;
    private volatile SecretKeySpec pepper;

    public ClientSecrets(TokenConfig config) {
        this.config = config;
    }

    /** A token endpoint without its pepper does not start: better than a 500 on every token request. */
    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            pepper();
        }
    }

    /** A new secret: 32 random bytes, base64url. */
    public String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** The stored form of a new secret: the keyed hash. */
    public String hash(String secret) {
        return HMAC + "$" + ENCODER.encodeToString(hmac(secret));
    }

    /** Whether {@code stored} is in a scheme that is slow to check and should be replaced by {@link #hash}. */
    public boolean isLegacy(String stored) {
        return stored != null && stored.startsWith(PBKDF2 + "$");
    }

    /**
     * Whether {@code secret} is the one {@code stored} was made from; constant time in the secret. A stored value in
     * no known scheme matches nothing.
     */
    public boolean matches(String secret, String stored) {
        if (secret == null || stored == null) {
            return false;
        }
        if (stored.startsWith(HMAC + "$")) {
            byte[] expected = decode(stored.substring(HMAC.length() + 1));
            return expected != null && MessageDigest.isEqual(expected, hmac(secret));
        }
        if (isLegacy(stored)) {
            return matchesPbkdf2(secret, stored);
        }
        return false;
    }

    private byte[] hmac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper());
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private SecretKeySpec pepper() {
        SecretKeySpec key = pepper;
        if (key == null) {
            String location = config.secretPepper().orElseThrow(() -> new IllegalStateException(
                    "api.token.secret-pepper is not set: client secrets cannot be hashed or checked"));
            byte[] content = new String(Locations.read(location), StandardCharsets.UTF_8).strip()
                    .getBytes(StandardCharsets.UTF_8);
            if (content.length < MIN_PEPPER_LENGTH) {
                throw new IllegalStateException("api.token.secret-pepper holds fewer than " + MIN_PEPPER_LENGTH
                        + " characters: use 32 random bytes in base64url");
            }
            key = new SecretKeySpec(content, "HmacSHA256");
            pepper = key;
        }
        return key;
    }

    /** {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, as written before secrets were hashed with HMAC. */
    private static boolean matchesPbkdf2(String secret, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4) {
            return false;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] salt = decode(parts[2]);
        byte[] expected = decode(parts[3]);
        if (iterations < 1 || salt == null || expected == null) {
            return false;
        }
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, PBKDF2_HASH_BITS);
        try {
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return MessageDigest.isEqual(expected, derived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] decode(String base64url) {
        try {
            return DECODER.decode(base64url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
