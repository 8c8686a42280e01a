package kh.dds.api.notification.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Per-endpoint delivery metrics, read from the shared queue (so every node shows the same figures):
 * {@code api_notifications_webhook_pending{contract}}, {@code api_notifications_webhook_oldest_pending_seconds{contract}}
 * and {@code api_notifications_webhook_parked{contract}}; failures are counted where they happen
 * ({@code api_notifications_webhook_failures_total{contract}}, per node).
 */
@ApplicationScoped
public class WebhookMetrics {

    private static final Logger LOG = Logger.getLogger(WebhookMetrics.class);

    private static final String READ = """
            SELECT contract_id::text AS contract,
                   count(*) FILTER (WHERE webhook_state = 'PENDING') AS pending,
                   coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE webhook_state = 'PENDING')), 0)
                       AS oldest,
                   count(*) FILTER (WHERE webhook_state = 'PARKED') AS parked
            FROM api.notification WHERE webhook_state IN ('PENDING', 'PARKED') GROUP BY contract_id""";

    private final Pool pool;
    private final MultiGauge pending;
    private final MultiGauge oldest;
    private final MultiGauge parked;

    public WebhookMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.pending = MultiGauge.builder("api.notifications.webhook.pending")
                .description("notifications waiting for their webhook, per contract").register(registry);
        this.oldest = MultiGauge.builder("api.notifications.webhook.oldest.pending.seconds")
                .description("age of the oldest notification waiting for its webhook, per contract").register(registry);
        this.parked = MultiGauge.builder("api.notifications.webhook.parked")
                .description("notifications parked after their retries ran out, per contract").register(registry);
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(READ).execute().invoke(rows -> {
            List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
            List<MultiGauge.Row<?>> oldestRows = new ArrayList<>();
            List<MultiGauge.Row<?>> parkedRows = new ArrayList<>();
            for (Row row : rows) {
                Tags tags = Tags.of("contract", row.getString("contract"));
                pendingRows.add(MultiGauge.Row.of(tags, row.getLong("pending")));
                oldestRows.add(MultiGauge.Row.of(tags, row.getNumeric("oldest").doubleValue()));
                parkedRows.add(MultiGauge.Row.of(tags, row.getLong("parked")));
            }
            pending.register(pendingRows, true);
            oldest.register(oldestRows, true);
            parked.register(parkedRows, true);
        }).onFailure().invoke(e -> LOG.warnf("webhook metrics not refreshed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
