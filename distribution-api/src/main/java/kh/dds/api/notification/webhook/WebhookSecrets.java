package kh.dds.api.notification.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kh.dds.api.config.Locations;
import kh.dds.api.notification.NotificationConfig;
import kh.dds.api.problem.ApiProblem;

/**
 * Webhook signing secrets: made ({@code whsec_} + base64 of 32 random bytes, Standard Webhooks' form), kept
 * encrypted at rest, and used to sign.
 *
 * <p>A signing secret must be usable to sign, so unlike a client secret it cannot be hashed. It is stored encrypted
 * with AES-256-GCM under {@code api.notifications.secret-key} — a key that never enters the database — with the
 * contract's id as associated data, so that a ciphertext copied onto another contract's row does not decrypt. A copy
 * of the database alone discloses no secret. Neither the key nor a secret is ever logged.
 *
 * <p>Signatures (Standard Webhooks 1.0): {@code v1,} + base64 of HMAC-SHA256, keyed with the secret's bytes, over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}; several, space-separated, during a rotation.
 */
@ApplicationScoped
public class WebhookSecrets {

    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    @Inject
    public WebhookSecrets(NotificationConfig config) {
        this.key = config.secretKey().map(WebhookSecrets::readKey).orElse(null);
    }

    WebhookSecrets(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    private static SecretKeySpec readKey(String location) {
        byte[] raw = Locations.read(location);
        byte[] key = raw.length == 32 ? raw : decodeKey(raw);
        return new SecretKeySpec(key, "AES");
    }

    private static byte[] decodeKey(byte[] text) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("api.notifications.secret-key: neither 32 bytes nor their base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException("api.notifications.secret-key: a key of 32 bytes is required");
        }
        return key;
    }

    /** Whether secrets can be kept (a key is configured). */
    public boolean available() {
        return key != null;
    }

    /** A new secret, in the form a receiver's library takes ({@code whsec_…}). */
    public String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The secret encrypted for the contract's row: IV then ciphertext and tag. */
    public byte[] seal(String secret, UUID contractId) {
        requireKey();
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(contractId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a webhook secret", e);
        }
    }

    /** The secret of the contract's row. */
    public String open(byte[] sealed, UUID contractId) {
        requireKey();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, IV_BYTES));
            cipher.updateAAD(aad(contractId));
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a webhook secret does not decrypt under the configured key");
        }
    }

    /** The {@code webhook-signature} header's value: one {@code v1,…} per secret, space-separated. */
    public static String signature(List<String> secrets, String id, long timestamp, String body) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(sign(secret, id, timestamp, body));
        }
        return header.toString();
    }

    static String sign(String secret, String id, long timestamp, String body) {
        byte[] keyBytes = Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length())
                : secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
            byte[] signed = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    private void requireKey() {
        if (key == null) {
            throw new ApiProblem(503, "webhooks-unavailable", "Webhooks are not available",
                    "this installation has no key to keep webhook secrets with (api.notifications.secret-key)");
        }
    }

    private static byte[] aad(UUID contractId) {
        return ("dds-webhook-secret:" + contractId).getBytes(StandardCharsets.UTF_8);
    }
}
