package kh.dds.localstack;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local run's webhook receiver (SPEC §4.5): takes the API's notification deliveries on loopback, verifies each
 * with the Standard Webhooks reference library against the secret in {@code --secret-file} (read again whenever the
 * file changes: a new registration gives a new secret), answers {@code 204} when verified and {@code 401} when not,
 * and logs and counts what arrives. {@code GET /stats} gives the counts as JSON: verified deliveries, distinct
 * notifications, refused ones, per type, and the times of the first and last verified delivery.
 * <pre>
 * java -cp … kh.dds.localstack.WebhookReceiver --port 8084 --secret-file .local/keys/demo-webhook-secret [--log-every 1]
 * </pre>
 * Deliveries go to {@code POST /} (any path); {@code --log-every N} logs one verified delivery in N (the benchmark's
 * hundred thousand need not each be a line).
 */
public final class WebhookReceiver {

    private static final String USAGE = "usage: WebhookReceiver [--port 8084] --secret-file FILE [--log-every 1] "
            + "[--host 127.0.0.1]";
    private static final Pattern FIELD = Pattern.compile("\"(type|kidc)\":\"([^\"]{0,40})\"");

    private final Path secretFile;
    private final long logEvery;
    private final AtomicReference<Object[]> webhook = new AtomicReference<>(new Object[] {null, null});
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Set<String> distinct = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> types = new ConcurrentHashMap<>();
    private volatile Instant first;
    private volatile Instant last;

    private WebhookReceiver(Path secretFile, long logEvery) {
        this.secretFile = secretFile;
        this.logEvery = logEvery;
    }

    public static void main(String[] args) {
        Options.run("WebhookReceiver", () -> {
            Options options = Options.parse(args, USAGE);
            Path secretFile = Path.of(options.required("secret-file"));
            long logEvery = Long.parseLong(options.optional("log-every", "1"));
            String host = options.optional("host", "127.0.0.1");
            int port = options.port("port", 8084);
            WebhookReceiver receiver = new WebhookReceiver(secretFile, Math.max(1, logEvery));
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 256);
            server.setExecutor(Executors.newFixedThreadPool(32));
            server.createContext("/stats", receiver::stats);
            server.createContext("/", receiver::deliver);
            server.start();
            System.out.printf("webhook receiver on http://%s:%d/, verifying with the secret in %s%n", host, port,
                    secretFile);
            Thread.currentThread().join();
        });
    }

    private void deliver(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var request = exchange.getRequestHeaders();
            String id = String.valueOf(request.getFirst("webhook-id"));
            Map<String, List<String>> headers = Map.of(
                    "webhook-id", List.of(id),
                    "webhook-timestamp", List.of(String.valueOf(request.getFirst("webhook-timestamp"))),
                    "webhook-signature", List.of(String.valueOf(request.getFirst("webhook-signature"))));
            try {
                webhook().verify(body, headers);
            } catch (Exception e) {
                long n = refused.incrementAndGet();
                System.out.printf("%s refused %s: %s (%d refused so far)%n", Instant.now(), id.length() > 40
                        ? id.substring(0, 40) : id, e.getMessage(), n);
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Instant now = Instant.now();
            if (first == null) {
                first = now;
            }
            last = now;
            distinct.add(id);
            Map<String, String> fields = new TreeMap<>();
            Matcher matcher = FIELD.matcher(body);
            while (matcher.find()) {
                fields.putIfAbsent(matcher.group(1), matcher.group(2));
            }
            types.computeIfAbsent(fields.getOrDefault("type", "?"), k -> new AtomicLong()).incrementAndGet();
            long n = verified.incrementAndGet();
            if (n % logEvery == 0) {
                System.out.printf("%s verified %s %s kidc %s (%d verified)%n", now, id, fields.get("type"),
                        fields.get("kidc"), n);
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** The verifier for the secret now in the file (read again when the file changed). */
    private Webhook webhook() throws IOException {
        FileTime modified = Files.getLastModifiedTime(secretFile);
        Object[] current = webhook.get();
        if (!modified.equals(current[0])) {
            current = new Object[] {modified, new Webhook(Files.readString(secretFile).strip())};
            webhook.set(current);
        }
        return (Webhook) current[1];
    }

    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            StringBuilder json = new StringBuilder("{\"verified\":").append(verified.get())
                    .append(",\"distinct\":").append(distinct.size()).append(",\"refused\":").append(refused.get())
                    .append(",\"firstVerifiedAt\":").append(first == null ? "null" : "\"" + first + "\"")
                    .append(",\"lastVerifiedAt\":").append(last == null ? "null" : "\"" + last + "\"")
                    .append(",\"types\":{");
            String separator = "";
            for (var entry : new TreeMap<>(types).entrySet()) {
                json.append(separator).append('"').append(entry.getKey()).append("\":").append(entry.getValue());
                separator = ",";
            }
            byte[] answer = json.append("}}\n").toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }
}
