package kh.dds.api.notification.webhook.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kh.dds.api.auth.Caller;
import kh.dds.api.auth.Callers;
import kh.dds.api.notification.NotificationConfig;
import kh.dds.api.notification.NotifyCallers;
import kh.dds.api.notification.webhook.DeliveryQueue;
import kh.dds.api.notification.webhook.WebhookEndpoints;
import kh.dds.api.notification.webhook.WebhookSecrets;
import kh.dds.api.notification.webhook.WebhookTargets;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A contract's webhook (SPEC §4.5), scope {@code subscribe}, product {@code NOTIFY}: register or replace it (each
 * time a new signing secret, shown once; the one it replaces keeps signing for 24 h), see how its deliveries stand
 * (pending, oldest pending, failures, parked). Parked notifications: {@link ParkedResource}.
 */
@Path("/v1/subscriptions/webhook")
@Authenticated
@Tag(name = "notifications")
@SecurityRequirement(name = "bearer", scopes = "subscribe")
@Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
public class WebhookResource {

    private final NotifyCallers callers;
    private final Callers people;
    private final WebhookEndpoints endpoints;
    private final WebhookSecrets secrets;
    private final WebhookTargets targets;
    private final DeliveryQueue queue;
    private final NotificationConfig config;
    private final ObjectMapper mapper;

    public WebhookResource(NotifyCallers callers, Callers people, WebhookEndpoints endpoints, WebhookSecrets secrets,
                           WebhookTargets targets, DeliveryQueue queue, NotificationConfig config,
                           ObjectMapper mapper) {
        this.callers = callers;
        this.people = people;
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.targets = targets;
        this.queue = queue;
        this.config = config;
        this.mapper = mapper;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking // resolves the URL's host (DNS) to check where it points
    @Operation(summary = "Register or replace the webhook: {\"url\"} → its signing secret, shown once")
    public Map<String, Object> put(String body) {
        NotifyCallers.Subscriber subscriber = callers.admit().await().indefinitely();
        String url = field(body, "url");
        try {
            targets.resolve(targets.parse(url));
        } catch (WebhookTargets.Refused refused) {
            throw new ApiProblem(400, "webhook-url-refused", "The webhook URL is refused", refused.getMessage());
        }
        if (!secrets.available()) {
            secrets.seal("", subscriber.contract().id()); // throws the 503 problem
        }
        String secret = secrets.newSecret();
        Instant previousUntil = endpoints.put(subscriber.contract().id(), url, secret,
                config.webhook().rotationOverlap()).await().indefinitely();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("url", url);
        answer.put("secret", secret);
        answer.put("previousSecretValidUntil", previousUntil == null ? null : previousUntil.toString());
        return answer;
    }

    @GET
    @Operation(summary = "How the webhook's deliveries stand: pending, oldest pending, failures, parked (also for a "
            + "viewer of the contract signed in at the web console, scope usage)")
    public Uni<Map<String, Object>> status() {
        Caller caller;
        try {
            caller = people.current();
        } catch (RuntimeException problem) {
            return Uni.createFrom().failure(problem);
        }
        // a relying party's client with scope subscribe, or its viewer signed in at the console (read-only)
        Uni<java.util.UUID> contract = caller.person() != null ? people.viewersContract(caller)
                : callers.admit().map(subscriber -> subscriber.contract().id());
        return contract.chain(id -> queue.stats(id).map(stats -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pending", stats.pending());
            answer.put("oldestPendingAt", stats.oldestPending() == null ? null : stats.oldestPending().toString());
            answer.put("failures", stats.failures());
            answer.put("parked", stats.parked());
            return answer;
        }));
    }

    private String field(String body, String name) {
        try {
            JsonNode node = body == null ? null : mapper.readTree(body);
            if (node != null && node.isObject() && node.size() == 1 && node.path(name).isTextual()) {
                return node.get(name).textValue();
            }
        } catch (IOException e) {
            // answered below
        }
        throw Problems.invalidRequest("the body is {\"" + name + "\": \"https://…\"}");
    }
}
