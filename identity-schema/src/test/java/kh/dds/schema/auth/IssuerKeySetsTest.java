package kh.dds.schema.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider's keys read from a real HTTP server: once as the service starts, on the caller's thread; afterwards only
 * on the refresh thread, at most once per {@link IssuerKeySets#RETRY} however many tokens name an unknown key.
 */
class IssuerKeySetsTest {

    private static final String JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";

    private HttpServer server;
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicReference<String> answer = new AtomicReference<>(JWKS);
    private final Map<String, String> read = new ConcurrentHashMap<>();
    private final Map<String, String> readOn = new ConcurrentHashMap<>();

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/certs", exchange -> {
            asked.incrementAndGet();
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
    }

    private IssuerKeySets keys(List<String> locations) {
        return new IssuerKeySets(locations, Duration.ofHours(1), (location, jwks) -> {
            read.put(location, jwks);
            readOn.put(location, Thread.currentThread().getName());
        });
    }

    @Test
    void theKeysAreReadAtStartThenOnlyOnTheRefreshThreadAndNotForEveryUnknownKey() throws Exception {
        try (IssuerKeySets keys = keys(List.of(url()))) {
            keys.start();
            assertEquals(JWKS, read.get(url()));
            assertEquals(Thread.currentThread().getName(), readOn.get(url()), "read at start, by the starter");
            assertEquals(1, asked.get());
            // a flood of tokens naming an unknown key: asked again at most once per RETRY, on the refresh thread
            for (int i = 0; i < 100; i++) {
                keys.refreshSoon(url());
            }
            Thread.sleep(500);
            assertEquals(1, asked.get(), "read a moment ago: not again before RETRY");
        }
    }

    @Test
    void aRotationIsPickedUpOnTheRefreshThread() throws Exception {
        try (IssuerKeySets keys = new IssuerKeySets(List.of(url()), Duration.ofMillis(200), (location, jwks) -> {
            read.put(location, jwks);
            readOn.put(location, Thread.currentThread().getName());
        })) {
            keys.start();
            String rotated = JWKS.replace("k1", "k2");
            answer.set(rotated);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!rotated.equals(read.get(url())) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(rotated, read.get(url()));
            assertEquals("issuer-keys", readOn.get(url()));
        }
    }

    @Test
    void aProviderThatDoesNotAnswerOrAnswersNoKeysIsNotTakenAndDoesNotStopTheStart() {
        answer.set("<html>not keys</html>");
        String closed = "http://127.0.0.1:1/certs";
        try (IssuerKeySets keys = keys(List.of(url(), closed))) {
            keys.start();
            assertNull(read.get(url()), "a page that is not a JWKS is not taken for keys");
            assertTrue(read.isEmpty());
        }
    }
}
