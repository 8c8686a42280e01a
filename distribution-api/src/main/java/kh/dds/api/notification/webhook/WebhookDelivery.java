package kh.dds.api.notification.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kh.dds.api.notification.Notification;
import kh.dds.api.notification.NotificationAudit;
import kh.dds.api.notification.NotificationConfig;
import org.jboss.logging.Logger;

/**
 * Delivers notifications to their contracts' webhooks (Standard Webhooks 1.0), at least once, on every node.
 *
 * <p>Each poll claims due notifications ({@link DeliveryQueue}) and sends each on its own, asynchronously, with a
 * timeout: nothing waits for a receiver but its own deliveries, and a contract whose deliveries this node has in
 * flight up to {@code per-endpoint} gets no more until they end — a slow or dead receiver never delays another
 * contract's. A {@code 2xx} delivers (and audits and bills the notification, once); anything else — another status,
 * a timeout, a refused or dropped connection, a target the SSRF rules refuse — is retried after an exponential
 * back-off with ±50 % jitter, until the retry budget (3 days from the first attempt) would be passed: then the notification is parked,
 * visible to its contract, which may replay it. Each attempt resolves the host, checks every address
 * ({@link WebhookTargets}) and connects to a checked one; redirects are not followed.
 */
@ApplicationScoped
public class WebhookDelivery {

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);
    private static final int CLAIM_LIMIT = 500;

    private final DeliveryQueue queue;
    private final WebhookEndpoints endpoints;
    private final WebhookTargets targets;
    private final NotificationAudit audit;
    private final NotificationConfig.Webhook config;
    private final MeterRegistry registry;
    private final HttpClient client;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** Endpoints whose last claim was full: a delivery of theirs that ends asks for the next claim at once. */
    private final Set<UUID> backlog = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public WebhookDelivery(DeliveryQueue queue, WebhookEndpoints endpoints, WebhookTargets targets,
                           NotificationAudit audit, NotificationConfig config, MeterRegistry registry, Vertx vertx) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.targets = targets;
        this.audit = audit;
        this.config = config.webhook();
        this.registry = registry;
        int timeout = (int) this.config.timeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeout)
                .setIdleTimeout(timeout).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                .setVerifyHost(true).setTrustAll(false).setKeepAlive(true).setMaxPoolSize(this.config.perEndpoint()));
    }

    @Scheduled(every = "${api.notifications.webhook.poll:250ms}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return claimRound();
    }

    /**
     * One claim at a time on this node: asked for while one runs, another follows it. Besides the poll, a delivery
     * that ends asks for one when its endpoint's last claim was full (more are likely due), so that a busy
     * endpoint's deliveries follow one another without waiting for the next poll.
     */
    private Uni<Void> claimRound() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        if (!claiming.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().voidItem();
        }
        again.set(false);
        Map<UUID, Integer> counts = new HashMap<>();
        inFlight.forEach((contract, count) -> counts.put(contract, count.get()));
        return queue.claim(counts, config.perEndpoint(), CLAIM_LIMIT, config.lease())
                .chain(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Map<UUID, Integer> perContract = new HashMap<>();
                    claimed.forEach(n -> perContract.merge(n.contractId(), 1, Integer::sum));
                    perContract.forEach((contract, count) -> {
                        if (count + counts.getOrDefault(contract, 0) >= config.perEndpoint()) {
                            backlog.add(contract);
                        } else {
                            backlog.remove(contract);
                        }
                    });
                    Set<UUID> contracts = perContract.keySet();
                    return endpoints.find(contracts).invoke(found -> {
                        for (Notification notification : claimed) {
                            inFlight.computeIfAbsent(notification.contractId(), k -> new AtomicInteger())
                                    .incrementAndGet();
                            deliver(notification, found.get(notification.contractId()))
                                    .onTermination().invoke(() -> settled(notification.contractId()))
                                    .subscribe().with(ignored -> { }, e -> LOG.warnf(
                                            "delivery of notification %s not settled (its lease will run out): %s",
                                            notification.notificationId(), e.toString()));
                        }
                    }).replaceWithVoid();
                })
                .onFailure().invoke(e -> LOG.warnf("claiming webhook deliveries failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid()
                .eventually(() -> {
                    claiming.set(false);
                    if (again.get()) {
                        claimNow();
                    }
                });
    }

    private void settled(UUID contract) {
        inFlight.get(contract).decrementAndGet();
        if (backlog.contains(contract)) {
            claimNow();
        }
    }

    private void claimNow() {
        claimRound().subscribe().with(ignored -> { }, e -> LOG.warnf("claiming webhook deliveries failed: %s", e));
    }

    private Uni<Void> deliver(Notification notification, WebhookEndpoints.Endpoint endpoint) {
        if (endpoint == null) {
            return failed(notification, "the contract has no webhook endpoint");
        }
        Uni<Integer> attempt = Uni.createFrom().item(() -> {
                    try {
                        URI uri = targets.parse(endpoint.url());
                        return new Object[] {uri, targets.resolve(uri)};
                    } catch (WebhookTargets.Refused refused) {
                        throw new TargetRefused(refused.getMessage());
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(resolved -> send(notification, endpoint, (URI) resolved[0], (InetAddress) resolved[1]));
        return attempt
                .chain(status -> status >= 200 && status < 300 ? delivered(notification)
                        : failed(notification, "HTTP " + status))
                .onFailure().recoverWithUni(e -> failed(notification, e instanceof TargetRefused
                        ? "refused: " + e.getMessage() : e.getClass().getSimpleName()));
    }

    private Uni<Integer> send(Notification notification, WebhookEndpoints.Endpoint endpoint, URI uri,
                              InetAddress address) {
        long timestamp = Instant.now().getEpochSecond();
        String id = notification.notificationId().toString();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(port).setSsl(https).setURI(path).setFollowRedirects(false)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setTimeout(config.timeout().toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature",
                        WebhookSecrets.signature(endpoint.secrets(), id, timestamp, notification.body()));
        return client.request(options)
                .chain(request -> request.send(Buffer.buffer(notification.body())))
                .chain(response -> response.body().map(ignored -> response.statusCode()));
    }

    private Uni<Void> delivered(Notification notification) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return queue.delivered(notification.id(), now)
                .chain(updated -> audit.audit(List.of(updated))
                        .onFailure().invoke(e -> LOG.warnf("notification %s delivered, its audit is left to the sweep: %s",
                                notification.notificationId(), e.toString()))
                        .onFailure().recoverWithNull());
    }

    private Uni<Void> failed(Notification notification, String error) {
        registry.counter("api.notifications.webhook.failures", "contract", notification.contractId().toString())
                .increment();
        Duration delay = backOff(notification.attempts());
        Instant next = Instant.now().plus(delay);
        // a claimed notification's createdAt is its first attempt's time: the budget counts from there
        Uni<Void> settle = next.isAfter(notification.createdAt().plus(config.retryBudget()))
                ? queue.park(notification.id(), error)
                .invoke(() -> LOG.warnf("notification %s parked after %d attempts: %s", notification.notificationId(),
                        notification.attempts(), error))
                : queue.retry(notification.id(), error, next);
        return settle.chain(() -> endpoints.failed(notification.contractId()));
    }

    /** {@code initial × 2^(attempt−1)}, at most {@code retry-max}, then ±50 % jitter. */
    Duration backOff(int attempt) {
        long base = config.retryInitial().toMillis();
        long max = config.retryMax().toMillis();
        long delay = attempt >= 40 ? max : Math.min(max, base << Math.max(0, attempt - 1));
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (delay * jitter)));
    }

    void close(@Observes ShutdownEvent event) {
        client.closeAndAwait();
    }

    /** The target was refused by the SSRF rules at delivery time. */
    static final class TargetRefused extends RuntimeException {
        TargetRefused(String message) {
            super(message, null, false, false);
        }
    }
}
