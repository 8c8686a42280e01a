package kh.dds.api.notification.subscription.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kh.dds.api.notification.NotificationConfig;
import kh.dds.api.notification.NotifyCallers;
import kh.dds.api.notification.NotifyCallers.Subscriber;
import kh.dds.api.notification.subscription.SubscriptionStore;
import kh.dds.api.notification.subscription.SubscriptionUpload;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.Problems;
import kh.dds.schema.kidc.Kidc;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A contract's subscriptions (SPEC §4.5), scope {@code subscribe}, product {@code NOTIFY}: one KIdC as JSON, or an
 * NDJSON or CSV upload of up to millions streamed into PostgreSQL in batches; look one up, list them page by page,
 * remove one. A KIdC not (yet) in the registry may be subscribed. A contract only ever sees its own.
 */
@Path("/v1/subscriptions")
@Authenticated
@Tag(name = "notifications")
@SecurityRequirement(name = "bearer", scopes = "subscribe")
@Produces({MediaType.APPLICATION_JSON, ProblemBody.MEDIA_TYPE})
public class SubscriptionResource {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";
    private static final Duration STORE_WAIT = Duration.ofSeconds(60);
    private static final int PAGE_MAX = 1000;

    private final NotifyCallers callers;
    private final SubscriptionStore store;
    private final NotificationConfig config;
    private final ObjectMapper mapper;

    public SubscriptionResource(NotifyCallers callers, SubscriptionStore store, NotificationConfig config,
                                ObjectMapper mapper) {
        this.callers = callers;
        this.store = store;
        this.config = config;
        this.mapper = mapper;
    }

    /** The answer to a subscription request. */
    public record Added(long received, long subscribed, long alreadySubscribed, long rejected,
                        List<SubscriptionUpload.LineProblem> problems) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe to one KIdC: {\"kidc\": \"…\"}")
    public Uni<Response> subscribeOne(String body) {
        return callers.admit().chain(subscriber -> {
            String kidc = kidcOf(body);
            return store.add(subscriber.contract().id(), List.of(kidc)).map(added -> Response
                    .status(added > 0 ? 201 : 200)
                    .entity(new Added(1, added, 1 - added, 0, List.of())).build());
        });
    }

    @POST
    @Consumes({NDJSON, CSV})
    @Blocking
    @Operation(summary = "Subscribe to many KIdCs: NDJSON ({\"kidc\":\"…\"} a line) or CSV (header kidc), streamed")
    public Response subscribeMany(@jakarta.ws.rs.HeaderParam("Content-Type") String contentType, InputStream body)
            throws IOException {
        Subscriber subscriber = callers.admit().await().atMost(STORE_WAIT);
        SubscriptionUpload.Format format = contentType != null && contentType.toLowerCase().startsWith(CSV)
                ? SubscriptionUpload.Format.CSV : SubscriptionUpload.Format.NDJSON;
        SubscriptionUpload upload = new SubscriptionUpload(format, config.uploadBatch(), config.uploadMaxKidcs(),
                mapper);
        long[] added = {0};
        SubscriptionUpload.Tally tally;
        try {
            tally = upload.read(body, batch ->
                    added[0] += store.add(subscriber.contract().id(), batch).await().atMost(STORE_WAIT));
        } catch (SubscriptionUpload.UploadRefused refused) {
            throw Problems.invalidRequest(refused.getMessage());
        }
        return Response.ok(new Added(tally.kidcs, added[0], tally.kidcs - added[0], tally.rejected, tally.problems))
                .build();
    }

    @GET
    @Operation(summary = "One subscription (?kidc=), or the contract's subscriptions page by page (?after=&limit=)")
    public Uni<Map<String, Object>> find(@QueryParam("kidc") String kidc, @QueryParam("after") String after,
                                         @QueryParam("limit") Integer limit) {
        return callers.admit().chain(subscriber -> {
            if (kidc != null) {
                String problem = Kidc.problemWith(kidc);
                if (problem != null) {
                    throw Problems.invalidKidc("kidc: " + problem);
                }
                return store.find(subscriber.contract().id(), kidc).map(found -> {
                    var subscription = found.orElseThrow(() -> Problems.notFound("no subscription to this KIdC"));
                    return Map.<String, Object>of("kidc", subscription.kidc(),
                            "subscribedAt", subscription.subscribedAt().toString());
                });
            }
            if (after != null && Kidc.problemWith(after) != null) {
                throw Problems.invalidRequest("after: the cursor is the last KIdC of the previous page");
            }
            int size = limit == null ? 100 : limit;
            if (size < 1 || size > PAGE_MAX) {
                throw Problems.invalidRequest("limit: from 1 to " + PAGE_MAX);
            }
            return store.page(subscriber.contract().id(), after == null ? "" : after, size).map(page -> {
                Map<String, Object> answer = new java.util.LinkedHashMap<>();
                answer.put("subscriptions", page.stream().map(s -> Map.of("kidc", s.kidc(),
                        "subscribedAt", s.subscribedAt().toString())).toList());
                answer.put("next", page.size() == size ? page.get(page.size() - 1).kidc() : null);
                return answer;
            });
        });
    }

    @DELETE
    @Path("/{kidc}")
    @Operation(summary = "Remove a subscription")
    public Uni<Response> remove(@PathParam("kidc") String kidc) {
        return callers.admit().chain(subscriber -> {
            String problem = Kidc.problemWith(kidc);
            if (problem != null) {
                throw Problems.invalidKidc("kidc: " + problem);
            }
            return store.remove(subscriber.contract().id(), kidc).map(removed -> {
                if (!removed) {
                    throw Problems.notFound("no subscription to this KIdC");
                }
                return Response.noContent().build();
            });
        });
    }

    private String kidcOf(String body) {
        JsonNode node;
        try {
            node = body == null ? null : mapper.readTree(body);
        } catch (IOException e) {
            throw Problems.invalidRequest("the body is not the JSON this call takes: {\"kidc\": \"<10 digits>\"}");
        }
        if (node == null || !node.isObject() || node.size() != 1 || !node.has("kidc")) {
            throw Problems.invalidRequest("the body is not the JSON this call takes: {\"kidc\": \"<10 digits>\"}");
        }
        if (!node.get("kidc").isTextual()) {
            throw Problems.invalidKidc("kidc: a KIdC is a string of 10 digits");
        }
        String kidc = node.get("kidc").textValue();
        String problem = Kidc.problemWith(kidc);
        if (problem != null) {
            throw Problems.invalidKidc("kidc: " + problem);
        }
        return kidc;
    }
}
