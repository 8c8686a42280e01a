package kh.dds.api.bulk.work;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The interactive personal-data calls in flight on this node ({@code /v1/verifications}, {@code /v1/persons}),
 * counted at the HTTP layer from the request's arrival to its response's end, so that bulk work can yield to them
 * ({@link BulkThrottle}) without the call pipeline knowing about bulk.
 */
@ApplicationScoped
public class InteractiveLoad {

    private final AtomicInteger inFlight = new AtomicInteger();

    public InteractiveLoad(MeterRegistry registry) {
        Gauge.builder("api.interactive.in.flight", inFlight, AtomicInteger::get)
                .description("interactive personal-data calls in flight on this node").register(registry);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::count);
    }

    private void count(RoutingContext context) {
        String path = context.request().path();
        if (path != null && (path.startsWith("/v1/verifications") || path.startsWith("/v1/persons"))) {
            inFlight.incrementAndGet();
            context.addEndHandler(ignored -> inFlight.decrementAndGet());
        }
        context.next();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
