package kh.dds.api.notification.webhook.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.api.notification.NotifyCallers;
import kh.dds.api.notification.webhook.DeliveryQueue;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A contract's parked notifications (their retries ran out), and their replay: each goes back to the queue with a
 * fresh retry budget. Scope {@code subscribe}, product {@code NOTIFY}; a contract sees and replays its own only.
 */
@Path("/v1/notifications/parked")
@Authenticated
@Tag(name = "notifications")
@SecurityRequirement(name = "bearer", scopes = "subscribe")
@Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
public class ParkedResource {

    private final NotifyCallers callers;
    private final DeliveryQueue queue;
    private final ObjectMapper mapper;

    public ParkedResource(NotifyCallers callers, DeliveryQueue queue, ObjectMapper mapper) {
        this.callers = callers;
        this.queue = queue;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "The contract's parked notifications (their retries ran out), with the last error")
    public Uni<Map<String, Object>> parked(@QueryParam("after") Long after) {
        return callers.admit().chain(subscriber -> queue.parked(subscriber.contract().id(),
                after == null ? 0 : after, 500)).map(page -> {
                    List<Map<String, Object>> items = new ArrayList<>();
                    page.forEach(n -> {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("notificationId", n.notificationId().toString());
                        item.put("kidc", n.kidc());
                        item.put("type", n.type());
                        item.put("attempts", n.attempts());
                        item.put("lastError", n.lastError());
                        items.add(item);
                    });
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("parked", items);
                    answer.put("next", page.isEmpty() ? null : Long.toString(page.get(page.size() - 1).id()));
                    return answer;
                });
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay parked notifications: all, or {\"notificationIds\": [...]}")
    public Uni<Map<String, Object>> replay(String body) {
        return callers.admit().chain(subscriber -> {
            List<UUID> ids = new ArrayList<>();
            if (body != null && !body.isBlank()) {
                try {
                    JsonNode node = mapper.readTree(body);
                    for (JsonNode id : node.path("notificationIds")) {
                        ids.add(UUID.fromString(id.asText()));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    throw Problems.invalidRequest("the body is {\"notificationIds\": [\"<uuid>\", ...]} or empty");
                }
            }
            return queue.replay(subscriber.contract().id(), ids).map(count -> Map.<String, Object>of("replayed", count));
        });
    }

}
