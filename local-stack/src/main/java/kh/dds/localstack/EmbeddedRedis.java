package kh.dds.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import redis.embedded.RedisServer;

/**
 * A throw-away Redis 6.2 (the binary of {@code com.github.codemonstur:embedded-redis}) on a free port of 127.0.0.1,
 * without persistence, owned by whoever started it: {@link #close()} stops it and deletes its directory.
 *
 * <p>{@link LocalServices} starts its JVM-wide Redis servers this way; a test that must change a server's settings
 * ({@code CONFIG SET maxmemory}) starts one of its own, so that no other test ever sees the change.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedRedis.class.getName());

    private final RedisServer server;
    private final Path dir;
    private final RedisEndpoint endpoint;

    private EmbeddedRedis(RedisServer server, Path dir, RedisEndpoint endpoint) {
        this.server = server;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    /**
     * Starts a server.
     *
     * @param settings extra {@code redis.conf} lines, e.g. {@code "maxmemory-policy noeviction"}
     */
    public static EmbeddedRedis start(List<String> settings) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("dds-redis-");
            int port = LocalServices.freePort();
            var builder = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir " + dir)
                    .setting("save \"\"")
                    .setting("appendonly no");
            settings.forEach(builder::setting);
            RedisServer server = builder.build();
            server.start();
            return new EmbeddedRedis(server, dir, new RedisEndpoint("127.0.0.1", port, true));
        } catch (IOException e) {
            if (dir != null) {
                deleteQuietly(dir);
            }
            throw new UncheckedIOException("could not start an embedded Redis", e);
        }
    }

    public RedisEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } finally {
            deleteQuietly(dir);
        }
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Could not delete " + dir, e);
        }
    }
}
