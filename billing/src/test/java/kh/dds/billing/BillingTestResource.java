package kh.dds.billing;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.localstack.ServiceRole;
import org.flywaydb.core.Flyway;

/**
 * Billing's tests against the real PostgreSQL, Redis and Kafka of {@link LocalServices}, with what billing reads of
 * the API's: its schema, migrated from the API's own migrations ({@code api.migrations}), exactly as the API
 * migrates it; and its tokens, signed by a key pair made for the run whose public half is published as a JWKS file.
 * Billing logs in as its own role, {@code dds_billing}, and the API's schema is migrated as the API's, {@code dds_api},
 * so that billing's tests run on exactly the grants production gives it.
 */
public class BillingTestResource extends LocalServicesResource {

    public static final String DATABASE = "dds_billing_test";
    public static final String REDIS_DB = "3";
    public static final String TOPIC = "api.lookup-records";
    static final String KEY_ID = "billing-test";
    static final String PRIVATE_KEY_PROPERTY = "billing.test.token-key";

    @Override
    public void init(Map<String, String> args) {
        Map<String, String> all = new HashMap<>(args);
        all.put("database", DATABASE);
        all.put("redisDb", REDIS_DB);
        all.put("topics", TOPIC + ":4;" + TOPIC + ".billing-dlq:1");
        all.put("role", ServiceRole.BILLING.roleName());
        super.init(all);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        PostgresEndpoint postgres = LocalServices.get().postgres().as(ServiceRole.API, "");
        Flyway.configure()
                .dataSource(postgres.jdbcUrl(DATABASE), postgres.username(), postgres.password())
                .schemas("api", "audit")
                .table("api_schema_history")
                .locations("filesystem:" + System.getProperty("api.migrations"))
                .load()
                .migrate();
        config.put("mp.jwt.verify.publickey.location", tokenKeys().toString());
        return config;
    }

    /** A fresh RSA key pair: the private key's PEM path in a system property, the public key as a JWKS file. */
    private static Path tokenKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path dir = Files.createTempDirectory("billing-test-keys");
            Path privateKey = dir.resolve("token-signing-key.pem");
            Files.writeString(privateKey, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
            Path jwks = dir.resolve("jwks.json");
            Files.writeString(jwks, """
                    {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"%s","n":"%s","e":"%s"}]}"""
                    .formatted(KEY_ID, base64Url(publicKey.getModulus()), base64Url(publicKey.getPublicExponent())));
            System.setProperty(PRIVATE_KEY_PROPERTY, privateKey.toString());
            return jwks;
        } catch (Exception e) {
            throw new IllegalStateException("could not make the test's token keys", e);
        }
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
