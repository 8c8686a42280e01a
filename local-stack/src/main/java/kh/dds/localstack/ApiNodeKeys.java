package kh.dds.localstack;

import java.nio.file.Path;
import java.util.Map;

/**
 * The keys a packaged distribution-api node is started with in the tests that run it as a process: the token signing
 * key and its JWKS, the ledger's checkpoint key pair, the client-secret pepper (all files of a test-only directory,
 * distribution-api's {@code src/test/resources/keys}), and the bootstrap administrator's secret. One place, so that a
 * key the API comes to need reaches every such test at once.
 *
 * @param directory where the test keys are
 */
public record ApiNodeKeys(Path directory) {

    /** The node's environment variables for its keys. */
    public Map<String, String> environment(String adminSecret) {
        return Map.of(
                "API_TOKEN_SIGNING_KEY", "file:" + directory.resolve("token-signing-key.pem"),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", directory.resolve("jwks.json").toString(),
                "API_TOKEN_SECRET_PEPPER", "file:" + directory.resolve("token-secret-pepper"),
                "API_LEDGER_SIGNING_KEY", "file:" + directory.resolve("ledger-signing-key.pem"),
                "API_LEDGER_PUBLIC_KEY", "file:" + directory.resolve("ledger-public.pem"),
                "API_BOOTSTRAP_ADMIN_CLIENT_SECRET", adminSecret);
    }
}
