package kh.dds.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own ({@link EmbeddedPostgresServer} run from this JVM's classpath, in a process of
 * its own) whose data directory survives a restart — for tests that take the database away as a crash would.
 *
 * <p>{@link #kill()} is a crash of the database, not of a client: it SIGKILLs the postmaster and every one of its
 * processes (the backends, the WAL writer, the checkpointer) at once, so that nothing is flushed or shut down
 * cleanly; {@link #start()} then brings a new postmaster up on the same port and data directory, where it runs crash
 * recovery from the write-ahead log before it accepts a connection. The wrapping JVM is killed first, because its
 * shutdown hook would otherwise stop whatever server holds the data directory by then.
 *
 * <p>zonky starts PostgreSQL with {@code fsync} off. That does not weaken the test: a killed process loses nothing
 * the kernel already holds, and a committed transaction's WAL has been written there; fsync guards against the
 * machine's own crash, which no test here simulates.
 */
public final class PostgresServerProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final Path data;
    private final int port;
    private final String classpath;
    private Process process;

    private PostgresServerProcess(Path data, int port, String classpath) {
        this.data = data;
        this.port = port;
        this.classpath = classpath;
    }

    /**
     * Starts a new server on a free port with its data in {@code data}, which must not hold one yet; waits until it
     * accepts connections.
     */
    public static PostgresServerProcess startNew(Path data) throws IOException, InterruptedException {
        if (Files.exists(data.resolve("PG_VERSION"))) {
            throw new IllegalStateException(data + " already holds a database: give a new server an empty directory");
        }
        Files.createDirectories(data);
        PostgresServerProcess server = new PostgresServerProcess(data.toAbsolutePath(), LocalServices.freePort(),
                System.getProperty("java.class.path"));
        server.start();
        return server;
    }

    /**
     * Makes {@code data} free for {@link #startNew}: a server an earlier, killed run left on it is killed, and the
     * directory and its log are deleted.
     */
    public static void discard(Path data) throws IOException, InterruptedException {
        PostgresServerProcess leftover = new PostgresServerProcess(data.toAbsolutePath(), 0, "");
        if (leftover.postmaster().isPresent()) {
            leftover.kill();
        }
        Files.deleteIfExists(leftover.log());
        if (Files.exists(data)) {
            try (Stream<Path> paths = Files.walk(data)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Where it listens, as whom to connect (trusted {@code postgres}, no password). */
    public PostgresEndpoint endpoint() {
        return new PostgresEndpoint("127.0.0.1", port, "postgres", "", true);
    }

    /** The server's output, across its restarts. */
    public Path log() {
        return data.resolveSibling(data.getFileName() + ".log");
    }

    /** Starts the server (again) on the same port and data, and waits until a connection opens. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", classpath, EmbeddedPostgresServer.class.getName(),
                "--data", data.toString(), "--port", Integer.toString(port));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        Optional<String> failure;
        while ((failure = ServiceProbe.postgres(endpoint(), Duration.ofSeconds(2))).isPresent()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + process.exitValue() + "; see " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not accept a connection within " + STARTUP + " ("
                        + failure.get() + "); see " + log());
            }
            Thread.sleep(100);
        }
    }

    /**
     * SIGKILL for the whole server at once, as in a crash; returns once none of its processes is left.
     *
     * @return the postmaster's process id
     */
    public synchronized long kill() throws IOException, InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
        ProcessHandle postmaster = postmaster().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL runs on " + data + " to kill"));
        List<ProcessHandle> server = new ArrayList<>(postmaster.descendants().toList());
        server.add(0, postmaster);
        server.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle each : server) {
            try {
                each.onExit().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("PostgreSQL process " + each.pid() + " outlived SIGKILL", e);
            }
        }
        return postmaster.pid();
    }

    /** SIGTERM (the wrapper stops PostgreSQL cleanly), then a kill of whatever is left after 30 s. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        if (postmaster().isPresent()) {
            kill();
        }
    }

    /** The live postmaster of the data directory, from the first line of its {@code postmaster.pid}. */
    private Optional<ProcessHandle> postmaster() throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        try {
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL process on 127.0.0.1:" + port + ", data in " + data;
    }
}
