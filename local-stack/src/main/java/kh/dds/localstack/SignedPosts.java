package kh.dds.localstack;

import com.standardwebhooks.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notifications benchmark's baseline: a plain loop of {@code --count} Standard Webhooks deliveries, each a
 * notification-like body signed with the secret in {@code --secret-file}, POSTed to {@code --url} by
 * {@code --concurrency} loops (the API's deliveries in flight per endpoint, 16 by default). Prints the count, the
 * failures and the seconds taken; exits 1 if any POST was not answered 2xx.
 * <pre>
 * java -cp … kh.dds.localstack.SignedPosts --url http://127.0.0.1:8084/ --secret-file FILE --count 100000
 * </pre>
 */
public final class SignedPosts {

    private static final String USAGE = "usage: SignedPosts --url URL --secret-file FILE --count N [--concurrency 16]";

    private SignedPosts() {
    }

    public static void main(String[] args) {
        Options.run("SignedPosts", () -> {
            Options options = Options.parse(args, USAGE);
            URI url = URI.create(options.required("url"));
            Webhook signer = new Webhook(Files.readString(Path.of(options.required("secret-file"))).strip());
            long count = Long.parseLong(options.required("count"));
            int concurrency = Integer.parseInt(options.optional("concurrency", "16"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            AtomicLong next = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long start = System.nanoTime();
            List<Thread> loops = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Thread loop = new Thread(() -> {
                    while (next.getAndIncrement() < count) {
                        String id = UUID.randomUUID().toString();
                        long timestamp = Instant.now().getEpochSecond();
                        String body = "{\"notificationId\":\"" + id + "\",\"type\":\"BASELINE\",\"kidc\":\"0000000000\""
                                + ",\"occurredAt\":\"" + Instant.now() + "\",\"dataAsOf\":\"" + Instant.now() + "\"}";
                        try {
                            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                                    .header("content-type", "application/json").header("webhook-id", id)
                                    .header("webhook-timestamp", Long.toString(timestamp))
                                    .header("webhook-signature", signer.sign(id, timestamp, body))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status / 100 != 2) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                });
                loop.start();
                loops.add(loop);
            }
            for (Thread loop : loops) {
                loop.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("signed POSTs: %d sent by %d loops, %d failed, %.2f s, %.0f a second%n", count,
                    concurrency, failed.get(), seconds, count / seconds);
            if (failed.get() > 0) {
                System.exit(1);
            }
        });
    }
}
