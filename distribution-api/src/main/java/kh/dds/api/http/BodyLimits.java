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
 * request or a verification is a few hundred bytes, an administrator's contract a few kilobytes, a bulk upload up to
 * {@code api.bulk.max-body-bytes} (gigabytes, read as a stream and counted as it is read). The server's overall bound,
 * {@code quarkus.http.limits.max-body-size}, is the bulk upload's, since the server checks it before any route; so
 * that no other endpoint buffers a body of that size, a body sent without a declared length (chunked) is refused on
 * every endpoint but the bulk upload with {@code 411 length-required} — small bodies always have a length. Beyond a
 * bound the answer is {@code 413}, and no work is done.
 */
@ApplicationScoped
public class BodyLimits {

    /** {@code POST /oauth/token}: a form of three short fields. */
    static final long TOKEN = 8 * 1024;
    /** {@code POST /v1/verifications}: one person's claims. */
    static final long VERIFICATION = 16 * 1024;
    /**
     * {@code POST /v1/subscriptions} as NDJSON or CSV: an upload of KIdCs (~12-21 bytes a KIdC), read as a stream into
     * PostgreSQL in batches and never held whole, so it may be chunked like a bulk upload: 1 GiB, some 50 million
     * KIdCs when declared (a chunked one is bounded by the server's overall bound). One subscription as JSON is a
     * small body like any other.
     */
    static final long SUBSCRIPTION_UPLOAD = 1024L * 1024 * 1024;
    /** Everything else that takes a body (administration). */
    static final long OTHER = 64 * 1024;

    /** {@code POST /v1/bulk-verifications}: the path whose bodies are streamed. */
    static final String BULK_PATH = "/v1/bulk-verifications";

    private final ObjectMapper mapper;
    private final long bulk;

    public BodyLimits(ObjectMapper mapper, kh.dds.api.bulk.BulkConfig config) {
        this.mapper = mapper;
        this.bulk = config.maxBodyBytes();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    long limitFor(String path) {
        if (path.equals(BULK_PATH)) {
            return bulk;
        }
        return smallLimitFor(path);
    }

    /** A streamed upload: a bulk job, or subscriptions as NDJSON or CSV (never JSON, which is read whole). */
    static boolean streamed(String path, String contentType) {
        if (path.equals(BULK_PATH)) {
            return true;
        }
        if (!path.equals("/v1/subscriptions") || contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/x-ndjson") || type.startsWith("text/csv");
    }

    static long smallLimitFor(String path) {
        if (path.startsWith("/oauth/token")) {
            return TOKEN;
        }
        if (path.startsWith("/v1/verifications")) {
            return VERIFICATION;
        }
        return OTHER;
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        String path = context.request().path() == null ? "" : context.request().path();
        boolean streamed = streamed(path, context.request().getHeader(HttpHeaders.CONTENT_TYPE));
        long limit = path.equals(BULK_PATH) ? bulk : streamed ? SUBSCRIPTION_UPLOAD : smallLimitFor(path);
        if (length != null && declared(length) > limit) {
            refuse(context, limit);
            return;
        }
        if (length == null && !streamed && chunked(context)) {
            refuse(context, new ApiProblem(411, "length-required", "The request body needs a declared length",
                    "only a bulk upload or a subscription upload (NDJSON, CSV) may be sent without Content-Length"));
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

    private static boolean chunked(RoutingContext context) {
        String encoding = context.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && !encoding.isBlank();
    }

    private void refuse(RoutingContext context, long limit) {
        refuse(context, new ApiProblem(413, "payload-too-large", "The request body is too large",
                "this endpoint takes bodies of at most " + limit + " bytes"));
    }

    private void refuse(RoutingContext context, ApiProblem problem) {
        String body;
        try {
            body = mapper.writeValueAsString(problem.body(SafeText.of(context.request().path(), 256)));
        } catch (JsonProcessingException e) {
            body = "";
        }
        context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemBody.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
