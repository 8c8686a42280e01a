package kh.dds.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The door of a node: a real Vert.x HTTP server and router with the gate installed, and requests held open. */
class LoadSheddingTest {

    private static final int MAX = 3;

    private Vertx vertx;
    private HttpServer server;
    private LoadShedding gate;
    private SimpleMeterRegistry registry;
    /** Requests admitted and held, to be answered when the test says so. */
    private final ConcurrentLinkedQueue<RoutingContext> held = new ConcurrentLinkedQueue<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        gate = new LoadShedding(MAX, new ObjectMapper(), registry);
        Router router = Router.router(vertx);
        gate.install(router);
        router.route("/v1/verifications").handler(held::add);
        router.route("/q/health").handler(context -> context.response().end("{\"status\":\"UP\"}"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFullNodeRefusesAtOnceWithAProblemAndTakesCallsAgainWhenAnswered() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            admitted.add(send("/v1/verifications"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == MAX);

        HttpResponse<String> refused = send("/v1/verifications").get(10, TimeUnit.SECONDS);
        assertEquals(503, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        JsonNode problem = new ObjectMapper().readTree(refused.body());
        assertTrue(problem.path("type").asText().endsWith("overloaded"), refused.body());
        assertEquals(1.0, registry.counter("api.http.shed").count());
        // the orchestrator's probe is never refused
        assertEquals(200, send("/q/health").get(10, TimeUnit.SECONDS).statusCode());

        answerAll();
        for (CompletableFuture<HttpResponse<String>> call : admitted) {
            assertEquals(200, call.get(10, TimeUnit.SECONDS).statusCode());
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gate.inFlight() == 0);
        CompletableFuture<HttpResponse<String>> again = send("/v1/verifications");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        answerAll();
        assertEquals(200, again.get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void aCallerThatHangsUpGivesItsPlaceBack() throws Exception {
        for (int i = 0; i < MAX; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
                socket.getOutputStream().write(("POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                int expected = i + 1;
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == expected);
            }
        }
        // every one of them closed its connection without an answer: none may keep a place for ever
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.inFlight() == 0);
        held.clear();
        CompletableFuture<HttpResponse<String>> call = send("/v1/verifications");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        answerAll();
        assertEquals(200, call.get(10, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void whatIsGated() {
        assertTrue(LoadShedding.gated("/v1/verifications"));
        assertTrue(LoadShedding.gated("/oauth/token"));
        assertTrue(LoadShedding.gated("/v1/persons/1000000028"));
        assertTrue(!LoadShedding.gated("/q/health/live"));
        assertTrue(!LoadShedding.gated("/v1/bulk-verifications/abc/results"));
    }

    private void answerAll() {
        RoutingContext context;
        while ((context = held.poll()) != null) {
            RoutingContext answered = context;
            answered.vertx().runOnContext(ignored -> answered.response().end("{}"));
        }
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
