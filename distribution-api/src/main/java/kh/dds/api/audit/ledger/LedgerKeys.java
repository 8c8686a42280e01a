package kh.dds.api.audit.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import kh.dds.api.config.Locations;
import kh.dds.schema.ledger.Checkpoint;
import kh.dds.schema.ledger.CheckpointKeys;

/** The ledger's Ed25519 checkpoint key pair, read once; the private key is never logged nor served. */
@ApplicationScoped
public class LedgerKeys {

    private final LedgerConfig config;
    private volatile PrivateKey privateKey;
    private volatile String publicPem;

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

    private static String read(String location) {
        return new String(Locations.read(location), StandardCharsets.US_ASCII);
    }
}
