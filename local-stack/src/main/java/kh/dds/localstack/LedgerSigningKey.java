package kh.dds.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Writes a new Ed25519 key pair for the audit ledger's checkpoints, unless one is there: the private key as a PKCS#8
 * PEM (readable by its owner alone) and the public key as an X.509 PEM, which auditors verify checkpoints with. For
 * the local run; production keys come from the platform's secrets.
 *
 * <pre>
 * java -cp ... kh.dds.localstack.LedgerSigningKey --dir .local/keys
 * </pre>
 * Writes {@code ledger-signing-key.pem} and {@code ledger-public.pem} in that directory.
 */
public final class LedgerSigningKey {

    private static final String USAGE = "usage: LedgerSigningKey --dir DIR";

    private LedgerSigningKey() {
    }

    public static void main(String[] args) {
        Options.run("LedgerSigningKey", () -> {
            Options options = Options.parse(args, USAGE);
            Path dir = Path.of(options.required("dir"));
            System.out.println("ledger signing key in " + dir + ": " + (ensure(dir) ? "generated" : "exists"));
        });
    }

    /** Generates the pair into {@code dir} unless the private key exists; returns whether it generated one. */
    public static boolean ensure(Path dir) {
        Path privateKey = dir.resolve("ledger-signing-key.pem");
        Path publicKey = dir.resolve("ledger-public.pem");
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return false;
        }
        try {
            Files.createDirectories(dir);
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path partial = dir.resolve(".ledger-signing-key.pem.partial");
            Files.writeString(partial, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            Files.move(partial, privateKey, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
