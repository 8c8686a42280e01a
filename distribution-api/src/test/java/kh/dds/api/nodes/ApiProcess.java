package kh.dds.api.nodes;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.PostgresEndpoint;

/** One node of the API: the packaged distribution-api ({@code target/quarkus-app}) as a process of its own. */
final class ApiProcess implements AutoCloseable {

    static final String ADMIN_SECRET = "two-nodes-admin-secret";

    private final int port;
    private final Process process;
    private final File log;

    private ApiProcess(int port, Process process, File log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a node against the shared PostgreSQL database, Redis database index and Kafka broker. */
    static ApiProcess start(LocalServices services, String database, int redisDb) throws IOException {
        return start(services, database, redisDb, Map.of());
    }

    /** The same, with settings of the test's own (environment variables). */
    static ApiProcess start(LocalServices services, String database, int redisDb, Map<String, String> settings)
            throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresEndpoint postgres = services.postgres();
        Path keys = Path.of(System.getProperty("api.test-keys"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar",
                System.getProperty("api.jar"));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        if (postgres.hasPassword()) {
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        }
        env.put("QUARKUS_REDIS_HOSTS", services.redisUrl(redisDb));
        env.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        env.put("API_TOKEN_SIGNING_KEY", "file:" + keys.resolve("token-signing-key.pem"));
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.resolve("jwks.json").toString());
        env.put("API_BOOTSTRAP_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
        env.put("API_LEDGER_SIGNING_KEY", "file:" + keys.resolve("ledger-signing-key.pem"));
        env.put("API_LEDGER_PUBLIC_KEY", "file:" + keys.resolve("ledger-public.pem"));
        env.put("API_TOKEN_SECRET_HASH_ITERATIONS", "1000");
        env.putAll(settings);
        File log = Files.createTempFile("distribution-api-node", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        System.out.println("API node on port " + port + ", log: " + log);
        return new ApiProcess(port, builder.start(), log);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void awaitReady(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the API node exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the API node was not ready within " + timeout + "; see " + log);
    }

    /** SIGKILL, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
