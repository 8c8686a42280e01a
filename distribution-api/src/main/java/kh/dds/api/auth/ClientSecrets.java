package kh.dds.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Client secrets: generated at random, shown once, stored only as a slow salted hash (PBKDF2-HMAC-SHA256).
 *
 * <p>A stored hash reads {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64url), so the work factor can be
 * raised later without invalidating existing secrets. Hashing is CPU work of tens of milliseconds on purpose: it
 * runs on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class ClientSecrets {

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();
    private final int iterations;

    public ClientSecrets(TokenConfig config) {
        this.iterations = config.secretHashIterations();
    }

    /** A new secret: 32 random bytes, base64url. */
    public String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    public String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return SCHEME + "$" + iterations + "$" + ENCODER.encodeToString(salt) + "$"
                + ENCODER.encodeToString(derive(secret, salt, iterations));
    }

    /** Whether {@code secret} is the one {@code stored} was made from; constant time in the secret. */
    public boolean matches(String secret, String stored) {
        if (secret == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        int storedIterations = Integer.parseInt(parts[1]);
        byte[] salt = DECODER.decode(parts[2]);
        byte[] expected = DECODER.decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(secret, salt, storedIterations));
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

}
