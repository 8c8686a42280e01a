package kh.dds.localstack;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A light open-model HTTP load generator: sends requests at a fixed rate for a number of seconds, whatever the
 * server's answers do, and measures each request's latency from its <em>intended</em> start (request {@code i} is
 * due at {@code start + i / rate}), so a slow answer delays no later request's clock (no coordinated omission). The
 * generator's own lateness (actual send − intended start) is reported beside, so that its share is visible.
 *
 * <p>Vert.x HTTP/1.1 client on one event loop, keep-alive, a pool of up to {@code --connections} connections (a
 * request waits for a connection when all are busy, and that wait counts in its latency). Bodies are taken in turn
 * from {@code --bodies} (one a line, e.g. the simulator's {@code claims} file), each thread of the schedule moving on
 * to the next line. A warm-up at the same rate precedes the measured seconds and is not counted.
 *
 * <p>{@code --source-addresses N} sends from N loopback addresses of its own (127.1.0.1, 127.1.0.2, …; Linux answers
 * the whole of 127.0.0.0/8 on {@code lo}), request {@code i} from address {@code i mod N}, each with up to
 * {@code connections / N} connections (at least one): as N different senders would, for a server that counts per
 * source address. {@code --source-address A} sends from A alone.
 *
 * <pre>
 * OpenLoad --url http://127.0.0.1:8080/v1/verifications --rate 1000 --seconds 30 [--warmup 5]
 *          [--bodies claims.ndjson] [--header 'X-Operator-Id: teller-1'] [--bearer-env DDS_BENCH_TOKEN]
 *          [--connections 256] [--timeout-seconds 10] [--source-address 127.0.0.2 | --source-addresses 500]
 * </pre>
 * Prints one line of {@code key=value} fields: sent, completed, errors (non-2xx or failed), timeouts, the achieved
 * rate, latency percentiles in milliseconds (p50, p90, p99, p99.9, max), the generator's send lag, the status codes,
 * and the {@code "decision"} values found in the answers.
 */
public final class OpenLoad {

    private static final String USAGE = "usage: OpenLoad --url URL --rate PER_SECOND --seconds S [--warmup S] "
            + "[--bodies FILE] [--method POST] [--header 'Name: value']... [--bearer-env VARIABLE] "
            + "[--connections 256] [--timeout-seconds 10] [--source-address A | --source-addresses N]";

    private OpenLoad() {
    }

    public static void main(String[] args) {
        Options.run("OpenLoad", () -> {
            Options options = Options.parse(args, USAGE);
            Run run = new Run(options);
            System.out.println(run.call());
            System.exit(0);
        });
    }

    private static final class Run {

        private final URI url;
        private final double rate;
        private final int warmup;
        private final int seconds;
        private final HttpMethod method;
        private final List<Buffer> bodies = new ArrayList<>();
        private final Map<String, String> headers = new TreeMap<>();
        private final int connections;
        private final List<String> sourceAddresses = new ArrayList<>();
        private final int timeoutSeconds;

        // results, written on the client's event loop only
        private long[] latencies;
        private long[] sendLags;
        private int measured;
        private int completed;
        private int errors;
        private long lastCompletion;
        private final Map<String, Integer> statuses = new TreeMap<>();
        private final Map<String, Integer> decisions = new TreeMap<>();
        private final AtomicLong outstanding = new AtomicLong();

        Run(Options options) throws Exception {
            url = URI.create(options.required("url"));
            rate = Double.parseDouble(options.required("rate"));
            seconds = Integer.parseInt(options.required("seconds"));
            warmup = Integer.parseInt(options.optional("warmup", "5"));
            method = HttpMethod.valueOf(options.optional("method", "POST").toUpperCase(Locale.ROOT));
            connections = Integer.parseInt(options.optional("connections", "256"));
            timeoutSeconds = Integer.parseInt(options.optional("timeout-seconds", "10"));
            if (rate <= 0 || seconds <= 0 || warmup < 0 || connections <= 0) {
                throw new Options.UsageException("rate, seconds and connections must be positive\n" + USAGE);
            }
            String source = options.optional("source-address", null);
            int sources = Integer.parseInt(options.optional("source-addresses", "0"));
            if (source != null) {
                sourceAddresses.add(source);
            } else if (sources < 0 || sources > 250 * 250) {
                throw new Options.UsageException("--source-addresses takes 1 to 62500\n" + USAGE);
            } else {
                for (int i = 0; i < sources; i++) {
                    sourceAddresses.add("127.1." + (i / 250) + "." + (1 + i % 250));
                }
            }
            String file = options.optional("bodies", null);
            if (file != null) {
                for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        bodies.add(Buffer.buffer(line.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                if (bodies.isEmpty()) {
                    throw new IllegalArgumentException(file + " holds no body");
                }
                headers.put("Content-Type", "application/json");
            }
            for (String header : options.all("header")) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new Options.UsageException("--header takes 'Name: value', got '" + header + "'\n" + USAGE);
                }
                headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
            String bearerVariable = options.optional("bearer-env", null);
            if (bearerVariable != null) {
                String token = System.getenv(bearerVariable);
                if (token == null || token.isBlank()) {
                    throw new IllegalArgumentException("the environment variable " + bearerVariable + " is empty");
                }
                headers.put("Authorization", "Bearer " + token);
            }
        }

        String call() throws InterruptedException {
            long total = (long) Math.floor(rate * (warmup + seconds));
            long warmupCount = (long) Math.floor(rate * warmup);
            if (total - warmupCount > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("too many requests for one run");
            }
            latencies = new long[(int) (total - warmupCount)];
            sendLags = new long[latencies.length];
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1));
            int port = url.getPort() > 0 ? url.getPort() : 80;
            List<HttpClient> clients = new ArrayList<>();
            if (sourceAddresses.isEmpty()) {
                clients.add(client(vertx, port, connections, null));
            } else {
                int each = Math.max(1, connections / sourceAddresses.size());
                for (String address : sourceAddresses) {
                    clients.add(client(vertx, port, each, address));
                }
            }
            String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            CountDownLatch done = new CountDownLatch(1);
            double intervalNanos = 1e9 / rate;
            long[] next = {0};
            long start = System.nanoTime() + 50_000_000L;
            long measureFrom = start + (long) (warmupCount * intervalNanos);
            vertx.runOnContext(ignored -> vertx.setPeriodic(1, timer -> {
                long now = System.nanoTime();
                // every request whose intended start has come: sent now, measured from that intended start
                while (next[0] < total) {
                    long i = next[0];
                    long intended = start + (long) (i * intervalNanos);
                    if (intended > now) {
                        break;
                    }
                    next[0]++;
                    send(clients.get((int) (i % clients.size())), path, i, i - warmupCount, intended);
                }
                if (next[0] >= total) {
                    vertx.cancelTimer(timer);
                    done.countDown();
                }
            }));
            done.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CountDownLatch collected = new CountDownLatch(1);
            String[] summary = new String[1];
            // the results are read on the event loop that wrote them
            vertx.runOnContext(ignored -> {
                summary[0] = summary(measureFrom, outstanding.get());
                collected.countDown();
            });
            collected.await();
            clients.forEach(HttpClient::close);
            vertx.close();
            return summary[0];
        }

        private HttpClient client(Vertx vertx, int port, int poolSize, String localAddress) {
            HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setDefaultHost(url.getHost())
                    .setDefaultPort(port).setTcpNoDelay(true);
            if (localAddress != null) {
                options.setLocalAddress(localAddress);
            }
            return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1));
        }

        private void send(HttpClient client, String path, long i, long slot, long intended) {
            outstanding.incrementAndGet();
            long sentAt = System.nanoTime();
            RequestOptions request = new RequestOptions().setMethod(method).setURI(path);
            headers.forEach(request::putHeader);
            Buffer body = bodies.isEmpty() ? null : bodies.get((int) (i % bodies.size()));
            client.request(request)
                    .compose(req -> body == null ? req.send() : req.send(body))
                    .compose(response -> response.body().map(answer -> {
                        complete(slot, intended, sentAt, Integer.toString(response.statusCode()), answer);
                        return answer;
                    }))
                    .onFailure(failure -> complete(slot, intended, sentAt, failure.getClass().getSimpleName(), null));
        }

        private void complete(long slot, long intended, long sentAt, String status, Buffer answer) {
            long now = System.nanoTime();
            outstanding.decrementAndGet();
            if (slot < 0) {
                return; // warm-up
            }
            latencies[measured] = now - intended;
            sendLags[measured] = sentAt - intended;
            measured++;
            lastCompletion = Math.max(lastCompletion, now);
            statuses.merge(status, 1, Integer::sum);
            boolean ok = status.length() == 3 && status.charAt(0) == '2';
            if (ok) {
                completed++;
            } else {
                errors++;
            }
            if (answer != null) {
                String decision = decision(answer);
                if (decision != null) {
                    decisions.merge(decision, 1, Integer::sum);
                }
            }
        }

        private static String decision(Buffer answer) {
            String text = answer.toString(StandardCharsets.UTF_8);
            int at = text.indexOf("\"decision\":\"");
            if (at < 0) {
                return null;
            }
            int from = at + "\"decision\":\"".length();
            int to = text.indexOf('"', from);
            return to < 0 ? null : text.substring(from, to);
        }

        private String summary(long measureFrom, long stillOutstanding) {
            long[] sorted = Arrays.copyOf(latencies, measured);
            Arrays.sort(sorted);
            long[] lags = Arrays.copyOf(sendLags, measured);
            Arrays.sort(lags);
            double window = (lastCompletion - measureFrom) / 1e9;
            return String.format(Locale.ROOT, "rate=%.0f seconds=%d sent=%d completed=%d errors=%d timeouts=%d "
                            + "achieved=%.1f p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f lag_p99=%.2f lag_max=%.2f "
                            + "status=%s decisions=%s",
                    rate, seconds, latencies.length, completed, errors, stillOutstanding,
                    window > 0 ? measured / window : 0,
                    ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                    ms(percentile(sorted, 99.9)), ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
                    ms(percentile(lags, 99)), ms(lags.length == 0 ? 0 : lags[lags.length - 1]),
                    compact(statuses), compact(decisions));
        }

        /** The nearest-rank percentile. */
        private static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }

        private static String compact(Map<String, Integer> counts) {
            return counts.toString().replace(" ", "");
        }
    }
}
