package kh.dds.replica.crash;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.localstack.ServiceRole;

/** The packaged replica ({@code target/quarkus-app}) as a process of its own, and its database, for crash tests. */
final class ReplicaProcess {

    private final PostgresEndpoint postgres;
    private final String database;
    private final String bootstrapServers;
    private Process process;

    ReplicaProcess(PostgresEndpoint postgres, String database, String bootstrapServers) {
        this.postgres = postgres;
        this.database = database;
        this.bootstrapServers = bootstrapServers;
    }

    /** A fresh database: the replica's schema dropped, so its first start migrates it anew. */
    void resetDatabase() throws Exception {
        postgres.ensureDatabase(database);
        sql("DROP SCHEMA IF EXISTS replica CASCADE");
        // the schema again, owned by the replica's role, empty: its first start migrates it
        postgres.ensureRoles(database);
    }

    void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m",
                "-Dmp.messaging.incoming.person-events.max.poll.records=500", "-jar", System.getProperty("replica.jar"));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // the replica's own role, as in production (the tests' servers trust local connections)
        env.putAll(postgres.as(ServiceRole.REPLICA, "").quarkusEnvironment(database));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        // the packaged replica runs in the prod profile, where the record keys' secret has no default
        env.put("REPLICA_STATISTICS_RECORD_KEY_SECRET", "crash-test-record-key-secret-0123456789");
        env.remove("REPLICA_SNAPSHOT_FILE");
        File log = Files.createTempFile("registry-replica-it", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        System.out.println("replica process log: " + log);
        process = builder.start();
    }

    /** SIGKILL, as in a crash; returns the applied count at that moment. */
    long kill() throws Exception {
        process.destroyForcibly().waitFor();
        return counter("applied");
    }

    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    void waitForApplied(long threshold, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new AssertionError("the replica process exited with " + process.exitValue());
            }
            try {
                if (counter("applied") >= threshold) {
                    return;
                }
            } catch (Exception notYet) {
                // the schema is not there until the replica's first start has migrated it
            }
            Thread.sleep(10);
        }
        throw new AssertionError("fewer than " + threshold + " events applied within " + timeout
                + " (applied " + counter("applied") + ")");
    }

    /** A durable counter of replica_state. */
    long counter(String name) throws Exception {
        return single("SELECT " + name + " FROM replica.replica_state WHERE id = 1");
    }

    long single(String query) throws Exception {
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void sql(String statementText) throws Exception {
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement()) {
            statement.execute(statementText);
        }
    }

    /** Every person's KIdC and Latin family name, as the replica holds them. */
    Map<String, String> familyNames() throws Exception {
        Map<String, String> family = new java.util.HashMap<>();
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT kidc, record->>'familyNameLatin' FROM replica.person")) {
            while (rs.next()) {
                family.put(rs.getString(1), rs.getString(2));
            }
        }
        return family;
    }
}
