package kh.dds.api.notification.feed;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kh.dds.api.notification.Notification;
import kh.dds.api.notification.NotificationAudit;
import kh.dds.api.notification.NotificationConfig;
import kh.dds.api.notification.NotificationStore;
import kh.dds.api.notification.NotifyCallers;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/notifications?after=<cursor>&limit=}: a contract's notifications in order, each exactly as its
 * webhook receives it (SPEC §4.5), and {@code next}, the cursor to resume from (the same cursor when nothing new has
 * come). A notification read here for the first time — and not delivered by the webhook before — is delivered now:
 * its lookup record is made durable before the page is answered, once; a page read again costs nothing.
 */
@Path("/v1/notifications")
@Authenticated
@Tag(name = "notifications")
@SecurityRequirement(name = "bearer", scopes = "subscribe")
@Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
public class NotificationFeedResource {

    private final NotifyCallers callers;
    private final NotificationStore store;
    private final NotificationAudit audit;
    private final NotificationConfig config;

    public NotificationFeedResource(NotifyCallers callers, NotificationStore store, NotificationAudit audit,
                                    NotificationConfig config) {
        this.callers = callers;
        this.store = store;
        this.audit = audit;
        this.config = config;
    }

    @GET
    @Operation(summary = "The contract's notifications after a cursor, in order (resumable)")
    public Uni<Response> feed(@QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        long cursor = cursor(after);
        int size = limit == null ? Math.min(100, config.feedPageMax()) : limit;
        if (size < 1 || size > config.feedPageMax()) {
            return Uni.createFrom().failure(Problems.invalidRequest("limit: from 1 to " + config.feedPageMax()));
        }
        return callers.admit().chain(subscriber -> store.feed(subscriber.contract().id(), cursor, size)
                .chain(page -> {
                    List<Long> firstRead = page.stream().filter(n -> n.deliveredAt() == null)
                            .map(Notification::id).toList();
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    return store.delivered(firstRead, now, subscriber.caller().clientId())
                            .map(updated -> merge(page, updated));
                })
                .chain(page -> audit.audit(page)
                        .onFailure().transform(e -> e instanceof ApiProblem ? e : Problems.auditUnavailable())
                        .replaceWith(page))
                .map(page -> answer(page, cursor)));
    }

    private static long cursor(String after) {
        if (after == null || after.isEmpty()) {
            return 0;
        }
        if (after.length() > 19 || !after.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Problems.invalidRequest("after: a cursor is the 'next' of a previous page");
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw Problems.invalidRequest("after: a cursor is the 'next' of a previous page");
        }
    }

    private static List<Notification> merge(List<Notification> page, List<Notification> updated) {
        if (updated.isEmpty()) {
            return page;
        }
        Map<Long, Notification> byId = new HashMap<>();
        updated.forEach(n -> byId.put(n.id(), n));
        return page.stream().map(n -> byId.getOrDefault(n.id(), n)).toList();
    }

    private static Response answer(List<Notification> page, long cursor) {
        StringBuilder body = new StringBuilder(256 * (page.size() + 1)).append("{\"notifications\":[");
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(page.get(i).body());
        }
        long next = page.isEmpty() ? cursor : page.get(page.size() - 1).id();
        body.append("],\"next\":\"").append(next).append("\"}");
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }
}
