package kh.dds.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import kh.dds.schema.text.SafeText;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A node takes at most {@code api.http.max-in-flight} requests at once and refuses the next at the door, before any
 * work: {@code 503 overloaded} with {@code Retry-After}, in microseconds, from the event loop. Without this bound an
 * open-model load above the node's capacity queued without end in front of the Redis and PostgreSQL pools until their
 * wait queues overflowed, and every call then failed with a {@code 500} after seconds — the node answered nothing
 * well. With it, the calls admitted keep their latency and the rest are told at once to come back.
 *
 * <p>A refused request has not been authenticated, read or worked on — it never touched personal data, so it leaves
 * no lookup record (as a load balancer's refusal would not); it is counted ({@code api.http.shed}). Health, metrics
 * and the OpenAPI document ({@code /q/}) are never refused, so that an orchestrator sees a busy node as alive; bulk
 * uploads and result streams, long by nature and bounded per contract, are not counted either.
 */
@ApplicationScoped
public class LoadShedding {

    private final int maxInFlight;
    private final ObjectMapper mapper;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    public LoadShedding(@ConfigProperty(name = "api.http.max-in-flight", defaultValue = "256") int maxInFlight,
                        ObjectMapper mapper, MeterRegistry registry) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("api.http.max-in-flight must be at least 1, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.mapper = mapper;
        this.shed = Counter.builder("api.http.shed").description("requests refused at the door: the node was full")
                .register(registry);
        Gauge.builder("api.http.in.flight", inFlight, AtomicInteger::get)
                .description("requests admitted and not yet answered").register(registry);
    }

    void install(@Observes Router router) {
        // after BodyLimits (Integer.MIN_VALUE): a body too large is refused as such, whatever the load
        router.route().order(Integer.MIN_VALUE + 1).handler(this::admit);
    }

    /** Whether requests to this path count against the bound. */
    static boolean gated(String path) {
        return path != null && !path.startsWith("/q/") && !path.startsWith("/v1/bulk-verifications");
    }

    void admit(RoutingContext context) {
        if (!gated(context.request().path())) {
            context.next();
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shed.increment();
            refuse(context);
            return;
        }
        // called once when the response has been sent, or the connection closed, or the request failed
        context.addEndHandler(ignored -> inFlight.decrementAndGet());
        context.next();
    }

    int inFlight() {
        return inFlight.get();
    }

    private void refuse(RoutingContext context) {
        ApiProblem problem = Problems.overloaded();
        String body;
        try {
            body = mapper.writeValueAsString(problem.body(SafeText.of(context.request().path(), 256)));
        } catch (JsonProcessingException e) {
            body = "";
        }
        var response = context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemBody.MEDIA_TYPE);
        problem.headers().forEach(response::putHeader);
        response.end(body);
    }
}
