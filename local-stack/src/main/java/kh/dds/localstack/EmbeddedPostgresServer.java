package kh.dds.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL 14 server (zonky's embedded binaries, which also run as root) as a long-running process, for the
 * local run on a machine with no PostgreSQL. Its data directory survives restarts. SIGTERM stops it cleanly.
 *
 * <pre>
 * java -cp ... kh.dds.localstack.EmbeddedPostgresServer --data .local/postgres --port 15432
 * </pre>
 * User {@code postgres}, no password, listening on 127.0.0.1 only.
 */
public final class EmbeddedPostgresServer {

    private static final String USAGE = "usage: EmbeddedPostgresServer --data DIR [--port 15432]";
    private static final Duration HEALTH_CHECK_INTERVAL = Duration.ofSeconds(5);

    private EmbeddedPostgresServer() {
    }

    public static void main(String[] args) {
        Options.run("EmbeddedPostgresServer", () -> {
            Options options = Options.parse(args, USAGE);
            Path data = Path.of(options.required("data")).toAbsolutePath();
            int port = options.port("port", 15432);
            refuseIfRunning(data);
            Files.createDirectories(data);
            boolean fresh = !Files.exists(data.resolve("PG_VERSION"));

            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                    .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false)
                    .start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("EmbeddedPostgresServer: stopping PostgreSQL on port " + port);
                try {
                    postgres.close();
                    System.out.println("EmbeddedPostgresServer: stopped");
                } catch (IOException e) {
                    System.err.println("EmbeddedPostgresServer: could not stop PostgreSQL cleanly: " + e.getMessage());
                }
                stopped.countDown();
            }, "postgres-stop"));
            System.out.println("EmbeddedPostgresServer: PostgreSQL ready on 127.0.0.1:" + port + ", data in " + data
                    + (fresh ? " (new)" : " (kept)"));

            int misses = 0;
            while (!stopped.await(HEALTH_CHECK_INTERVAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                misses = ServiceProbe.tcp("127.0.0.1", port, Duration.ofSeconds(2)).isPresent() ? misses + 1 : 0;
                if (misses >= 3) {
                    throw new IllegalStateException("PostgreSQL stopped answering on port " + port);
                }
            }
        });
    }

    /** A postmaster left over from a killed run still holds the directory: say so instead of failing obscurely. */
    private static void refuseIfRunning(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        try {
            long pid = Long.parseLong(first);
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("a PostgreSQL server (pid " + pid + ") already runs on " + data
                        + "; stop it first (bin/dds-down)");
            }
        } catch (NumberFormatException e) {
            // unreadable pid file: PostgreSQL itself decides whether it is stale
        }
    }
}
