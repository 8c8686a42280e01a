package kh.dds.api.notification;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.standardwebhooks.Webhook;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver for the tests (the JDK's HTTP server on loopback): every delivery is verified with the Standard
 * Webhooks reference library against each secret the test gave it, and then answered as the path's behaviour says.
 */
final class Receiver implements AutoCloseable {

    /** How a path answers. */
    enum Behaviour { OK, FAIL_TWICE, FAIL, SLOW_FAIL }

    /** One delivery as it arrived. */
    record Delivery(String path, String id, String body, List<String> verifiedWith, int status) {
    }

    private final HttpServer server;
    final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    final Map<String, List<String>> secrets = new ConcurrentHashMap<>();
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(String.valueOf(id)),
                "webhook-timestamp", List.of(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp"))),
                "webhook-signature", List.of(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature"))));
        List<String> verifiedWith = new CopyOnWriteArrayList<>();
        for (String secret : secrets.getOrDefault(path, List.of())) {
            try {
                new Webhook(secret).verify(body, headers);
                verifiedWith.add(secret);
            } catch (Exception e) {
                // not signed with this secret
            }
        }
        int attempt = attempts.computeIfAbsent(path + id, k -> new AtomicInteger()).incrementAndGet();
        int status = switch (behaviours.getOrDefault(path, Behaviour.OK)) {
            case OK -> verifiedWith.isEmpty() ? 401 : 204;
            case FAIL_TWICE -> attempt <= 2 ? 500 : verifiedWith.isEmpty() ? 401 : 200;
            case FAIL -> 500;
            case SLOW_FAIL -> {
                try {
                    Thread.sleep(1_500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield 503;
            }
        };
        deliveries.add(new Delivery(path, id, body, List.copyOf(verifiedWith), status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    List<Delivery> delivered(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path) && d.status() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
