package kh.dds.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.schema.text.SafeText;

/**
 * Request bodies bounded per endpoint, refused by their declared length before a byte of them is read: a token
 * request or a verification is a few hundred bytes, an administrator's contract a few kilobytes. A body sent without
 * a length (chunked) is bounded by {@code quarkus.http.limits.max-body-size} for every endpoint. Either way the
 * answer is {@code 413}, and no work is done.
 */
@ApplicationScoped
public class BodyLimits {

    /** {@code POST /oauth/token}: a form of three short fields. */
    static final long TOKEN = 8 * 1024;
    /** {@code POST /v1/verifications}: one person's claims. */
    static final long VERIFICATION = 16 * 1024;
    /**
     * {@code POST /v1/subscriptions}: an upload of KIdCs (NDJSON or CSV, ~12-21 bytes a KIdC), streamed into
     * PostgreSQL in batches and never held whole. Bounded, for now, by {@code quarkus.http.limits.max-body-size}
     * (1 MiB: some 50,000-80,000 KIdCs a request), which every endpoint shares; millions take several requests.
     */
    static final long SUBSCRIPTION_UPLOAD = 1024L * 1024;
    /** Everything else that takes a body (administration). */
    static final long OTHER = 64 * 1024;

    private final ObjectMapper mapper;

    public BodyLimits(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    static long limitFor(String path) {
        if (path.startsWith("/oauth/token")) {
            return TOKEN;
        }
        if (path.startsWith("/v1/verifications")) {
            return VERIFICATION;
        }
        if (path.equals("/v1/subscriptions")) {
            return SUBSCRIPTION_UPLOAD;
        }
        return OTHER;
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = limitFor(context.request().path() == null ? "" : context.request().path());
        if (length != null && declared(length) > limit) {
            refuse(context, limit);
            return;
        }
        context.next();
    }

    /** The declared length; one that is not a number counts as too long (Vert.x would refuse it anyway). */
    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void refuse(RoutingContext context, long limit) {
        ApiProblem problem = new ApiProblem(413, "payload-too-large", "The request body is too large",
                "this endpoint takes bodies of at most " + limit + " bytes");
        String body;
        try {
            body = mapper.writeValueAsString(problem.body(SafeText.of(context.request().path(), 256)));
        } catch (JsonProcessingException e) {
            body = "";
        }
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemBody.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
