package kh.dds.disclosure;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives each person's record key: a uniform integer in {@code [0, keyRange)} from HMAC-SHA256(secret, KIdC).
 *
 * <p>The key must be stable (the same person always adds the same amount to every cell it is counted in, so the same
 * persons always give the same published count), uniform (so that a cell key says nothing about who is in the cell)
 * and secret (an attacker who could compute a person's key could tell which perturbation that person's presence
 * causes). A keyed hash gives all three without storing a key per person; the secret belongs to the caller and is
 * never published. The range is a power of two so that the low bits of the hash map onto it without bias.
 */
public final class RecordKeys {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec secret;
    private final int keyRange;

    public RecordKeys(byte[] secret, int keyRange) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the record key secret must have at least 16 bytes");
        }
        if (keyRange < 2 || Integer.bitCount(keyRange) != 1) {
            throw new IllegalArgumentException("the key range must be a power of two, got " + keyRange);
        }
        this.secret = new SecretKeySpec(Arrays.copyOf(secret, secret.length), ALGORITHM);
        this.keyRange = keyRange;
    }

    public int keyRange() {
        return keyRange;
    }

    /** The record key of the person with this KIdC (any identifier string works; the KIdC is the stable one). */
    public int of(String kidc) {
        byte[] digest = mac().doFinal(kidc.getBytes(StandardCharsets.UTF_8));
        int first = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8)
                | (digest[3] & 0xff);
        return first & (keyRange - 1);
    }

    /** A {@link Mac} is not thread-safe and cheap to make next to a hash: one per call. */
    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }
}
