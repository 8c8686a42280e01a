package kh.dds.api.audit.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
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

    static String read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
                try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("no classpath resource " + resource);
                    }
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
            }
            return Files.readString(Path.of(location.startsWith("file:") ? location.substring(5) : location),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger key " + location, e);
        }
    }
}
