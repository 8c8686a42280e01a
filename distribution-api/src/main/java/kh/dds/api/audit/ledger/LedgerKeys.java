package kh.dds.api.audit.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import kh.dds.api.config.Locations;
import kh.dds.schema.ledger.Checkpoint;
import kh.dds.schema.ledger.CheckpointKeys;

/** The ledger's Ed25519 checkpoint key pair, read once; the private key is never logged nor served. */
@ApplicationScoped
public class LedgerKeys {

    private final LedgerConfig config;
    private volatile PrivateKey privateKey;
    private volatile String publicPem;
    private volatile Map<String, String> published;

    public LedgerKeys(LedgerConfig config) {
        this.config = config;
    }

    public String keyId() {
        return config.keyId();
    }

    public Checkpoint sign(Checkpoint checkpoint) {
        PrivateKey key = privateKey;
        if (key == null) {
            key = CheckpointKeys.readPrivate(read(config.signingKey().orElseThrow(() -> new IllegalStateException(
                    "api.ledger.signing-key is not set: checkpoints cannot be signed"))));
            privateKey = key;
        }
        return CheckpointKeys.sign(checkpoint, key);
    }

    /** The public key, PEM, as published. */
    public String publicPem() {
        String pem = publicPem;
        if (pem == null) {
            pem = read(config.publicKey().orElseThrow(() -> new IllegalStateException(
                    "api.ledger.public-key is not set")));
            CheckpointKeys.readPublic(pem);
            publicPem = pem;
        }
        return pem;
    }

    public PublicKey publicKey() {
        return CheckpointKeys.readPublic(publicPem());
    }

    /** Every published public key by id, PEM: the current one first, then those retired by rotations. */
    public Map<String, String> publishedPems() {
        Map<String, String> pems = published;
        if (pems == null) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put(config.keyId(), publicPem());
            config.retiredPublicKeys().forEach((keyId, location) -> {
                if (!keyId.equals(config.keyId())) {
                    String pem = read(location);
                    CheckpointKeys.readPublic(pem);
                    all.put(keyId, pem);
                }
            });
            pems = Collections.unmodifiableMap(all);
            published = pems;
        }
        return pems;
    }

    /** The key a checkpoint's id names, or null when no published key has that id. */
    public Function<String, PublicKey> verifyingKeys() {
        Map<String, PublicKey> keys = new HashMap<>();
        publishedPems().forEach((keyId, pem) -> keys.put(keyId, CheckpointKeys.readPublic(pem)));
        return keys::get;
    }

    private static String read(String location) {
        return new String(Locations.read(location), StandardCharsets.US_ASCII);
    }
}
