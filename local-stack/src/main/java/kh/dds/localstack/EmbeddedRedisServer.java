package kh.dds.localstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

/**
 * A Redis 6.2 server (the binary shipped in {@code com.github.codemonstur:embedded-redis}) as a long-running process,
 * for the local run on a machine with no Redis. Data persists in {@code --dir} (append-only file plus RDB snapshots).
 * SIGTERM stops it cleanly (Redis saves on the way out).
 *
 * <pre>
 * java -cp ... kh.dds.localstack.EmbeddedRedisServer --port 16379 --dir .local/redis
 * java -cp ... kh.dds.localstack.EmbeddedRedisServer --port 16380 --dir .local/redis-counters --maxmemory-policy noeviction
 * </pre>
 *
 * <p>{@code --maxmemory-policy} is passed to Redis as given; the local run names {@code noeviction} for the counters'
 * Redis, so that it says what it relies on rather than on Redis's default.
 *
 * <p>The server runs under this JVM's own {@link ProcessBuilder} rather than {@code RedisServer}: that class stops
 * reading the server's output once it is ready, so the log of a long run would be lost; here it goes to this
 * process's standard output.
 */
public final class EmbeddedRedisServer {

    private static final String USAGE =
            "usage: EmbeddedRedisServer --dir DIR [--port 16379] [--maxmemory-policy POLICY]";

    private EmbeddedRedisServer() {
    }

    public static void main(String[] args) {
        Options.run("EmbeddedRedisServer", () -> {
            Options options = Options.parse(args, USAGE);
            Path dir = Path.of(options.required("dir")).toAbsolutePath();
            int port = options.port("port", 16379);
            String policy = options.optional("maxmemory-policy", "");
            Files.createDirectories(dir);
            if (ServiceProbe.tcp("127.0.0.1", port, Duration.ofSeconds(1)).isEmpty()) {
                throw new IllegalStateException("port " + port + " is already taken");
            }
            File executable = ExecutableProvider.newJarResourceProvider().get();
            List<String> command = new ArrayList<>(List.of(executable.getAbsolutePath(),
                    "--port", Integer.toString(port),
                    "--bind", "127.0.0.1",
                    "--protected-mode", "no",
                    "--daemonize", "no",
                    "--dir", dir.toString(),
                    "--pidfile", dir.resolve("redis.pid").toString(),
                    "--appendonly", "yes",
                    "--appendfsync", "everysec"));
            if (!policy.isBlank()) {
                command.addAll(List.of("--maxmemory-policy", policy));
            }
            Process redis = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .inheritIO()
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(redis, port), "redis-stop"));

            Instant deadline = Instant.now().plusSeconds(15);
            while (ServiceProbe.redis("127.0.0.1", port, Duration.ofSeconds(1)).isPresent()) {
                if (!redis.isAlive()) {
                    throw new IllegalStateException("Redis exited with status " + redis.exitValue());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Redis did not answer PING on port " + port + " within 15 s");
                }
                Thread.sleep(100);
            }
            System.out.println("EmbeddedRedisServer: Redis ready on 127.0.0.1:" + port + ", data in " + dir
                    + (policy.isBlank() ? "" : ", maxmemory-policy " + policy));
            int status = redis.waitFor();
            System.out.println("EmbeddedRedisServer: Redis exited with status " + status);
            System.exit(status == 0 ? 0 : 1);
        });
    }

    private static void stop(Process redis, int port) {
        if (!redis.isAlive()) {
            return;
        }
        System.out.println("EmbeddedRedisServer: stopping Redis on port " + port);
        redis.destroy(); // SIGTERM: Redis writes its data and exits
        try {
            if (!redis.waitFor(15, TimeUnit.SECONDS)) {
                System.err.println("EmbeddedRedisServer: Redis did not stop within 15 s, killing it");
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
