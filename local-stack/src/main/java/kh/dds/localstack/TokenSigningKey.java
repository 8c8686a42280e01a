package kh.dds.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * Writes a new RSA key pair for the distribution API's token endpoint, unless one is there: the private key as a
 * PKCS#8 PEM (readable by its owner alone) and the public key as a JWKS with its key id, which SmallRye JWT verifies
 * tokens against. For the local run; production keys come from the platform's secrets.
 *
 * <pre>
 * java -cp ... kh.dds.localstack.TokenSigningKey --dir .local/keys [--kid dds-1]
 * </pre>
 * Writes {@code token-signing-key.pem} and {@code jwks.json} in that directory.
 */
public final class TokenSigningKey {

    private static final String USAGE = "usage: TokenSigningKey --dir DIR [--kid dds-1]";

    private TokenSigningKey() {
    }

    public static void main(String[] args) {
        Options.run("TokenSigningKey", () -> {
            Options options = Options.parse(args, USAGE);
            Path dir = Path.of(options.required("dir"));
            String kid = options.optional("kid", "dds-1");
            boolean written = ensure(dir, kid);
            System.out.println("token signing key in " + dir + ": " + (written ? "generated" : "exists"));
        });
    }

    /** Generates the pair into {@code dir} unless the private key exists; returns whether it generated one. */
    public static boolean ensure(Path dir, String kid) {
        Path privateKey = dir.resolve("token-signing-key.pem");
        Path jwks = dir.resolve("jwks.json");
        if (Files.exists(privateKey) && Files.exists(jwks)) {
            return false;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Path partial = dir.resolve(".token-signing-key.pem.partial");
            Files.writeString(partial, pem, StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(jwks, jwks((RSAPublicKey) pair.getPublic(), kid), StandardCharsets.US_ASCII);
            Files.move(partial, privateKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWKS document holding {@code key} under {@code kid}. */
    public static String jwks(RSAPublicKey key, String kid) {
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + base64Url(key.getModulus()) + "\",\"e\":\"" + base64Url(key.getPublicExponent()) + "\"}]}\n";
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            bytes = trimmed;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
