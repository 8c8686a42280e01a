package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded engines, forced with DDS_EMBEDDED=1 even where real servers answer. */
class EmbeddedFallbackTest {

    private static LocalServices services;

    @BeforeAll
    static void start() {
        services = new LocalServices(Settings.of(Map.of("DDS_EMBEDDED", "1")), false);
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void embeddedPostgresAnswersAndCreatesDatabases() throws Exception {
        PostgresEndpoint postgres = services.postgres();
        assertTrue(postgres.embedded());
        assertTrue(services.ensureDatabase("dds_local_stack_test"));
        assertFalse(services.ensureDatabase("dds_local_stack_test"), "second call finds it");
        postgres.ensureSchema("dds_local_stack_test", "ingest");

        try (Connection connection = postgres.connect("dds_local_stack_test");
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select 1")) {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1));
            }
            try (ResultSet rows = statement.executeQuery(
                    "select count(*) from information_schema.schemata where schema_name = 'ingest'")) {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1));
            }
        }
        assertEquals("postgresql://127.0.0.1:" + postgres.port() + "/dds_local_stack_test",
                services.reactiveUrl("dds_local_stack_test"));
    }

    @Test
    void embeddedRedisAnswersPingAndStoresValues() throws Exception {
        RedisEndpoint redis = services.redis();
        assertTrue(redis.embedded());
        assertEquals("redis://127.0.0.1:" + redis.port() + "/3", services.redisUrl(3));
        assertTrue(ServiceProbe.redis(redis.host(), redis.port(), Duration.ofSeconds(2)).isEmpty());

        try (Socket socket = new Socket(redis.host(), redis.port())) {
            socket.setSoTimeout(2000);
            assertEquals("+OK", command(socket, "SET", "kidc", "012345678"));
            assertEquals("$9", command(socket, "GET", "kidc"));
            assertEquals("012345678", ServiceProbe.readLine(socket.getInputStream()));
        }
    }

    @Test
    void closingStopsWhatWasStarted() throws Exception {
        LocalServices own = new LocalServices(Settings.of(Map.of("DDS_EMBEDDED", "1")), false);
        RedisEndpoint redis = own.redis();
        assertTrue(ServiceProbe.tcp(redis.host(), redis.port(), Duration.ofSeconds(1)).isEmpty());
        own.close();
        assertTrue(ServiceProbe.tcp(redis.host(), redis.port(), Duration.ofSeconds(1)).isPresent(),
                "the embedded Redis still listens after close()");
    }

    /** One RESP command, answered by its first line. */
    private static String command(Socket socket, String... parts) throws IOException {
        StringBuilder resp = new StringBuilder("*" + parts.length + "\r\n");
        for (String part : parts) {
            resp.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(part).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return ServiceProbe.readLine(socket.getInputStream());
    }
}
