package kh.dds.api.nodes;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import kh.dds.localstack.ApiNodeKeys;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.localstack.QuarkusProcess;
import kh.dds.localstack.ServiceRole;

/** One node of the API: the packaged distribution-api ({@code target/quarkus-app}) as a process of its own. */
final class ApiProcess implements AutoCloseable {

    static final String ADMIN_SECRET = "two-nodes-admin-secret";

    private final QuarkusProcess process;

    private ApiProcess(QuarkusProcess process) {
        this.process = process;
    }

    /** Starts a node against the shared PostgreSQL database, Redis database index (cache and counters) and Kafka. */
    static ApiProcess start(LocalServices services, String database, int redisDb) throws IOException {
        return start(services, database, redisDb, Map.of());
    }

    /** The same, with settings of the test's own (environment variables). */
    static ApiProcess start(LocalServices services, String database, int redisDb, Map<String, String> settings)
            throws IOException {
        PostgresEndpoint postgres = services.postgres();
        postgres.ensureRoles(database);
        Path keys = Path.of(System.getProperty("api.test-keys"));
        // the node logs in as the API's own role, as in production (the tests' servers trust local connections)
        Map<String, String> env = new HashMap<>(postgres.as(ServiceRole.API, "").quarkusEnvironment(database));
        env.put("QUARKUS_REDIS_HOSTS", services.redisUrl(redisDb));
        env.put("QUARKUS_REDIS_COUNTERS_HOSTS", services.countersRedisUrl(redisDb));
        env.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        env.putAll(new ApiNodeKeys(keys).environment(ADMIN_SECRET));
        env.putAll(settings);
        return new ApiProcess(QuarkusProcess.start("distribution-api", Path.of(System.getProperty("api.jar")), env));
    }

    String url() {
        return process.url();
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        process.awaitReady(timeout);
    }

    /** SIGKILL, as in a crash. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
