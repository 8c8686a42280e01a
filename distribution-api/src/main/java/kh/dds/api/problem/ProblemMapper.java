package kh.dds.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import kh.dds.schema.stream.StoreFailures;
import kh.dds.schema.text.SafeText;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where an exception becomes an answer: RFC 9457 problem+json with a stable type. Class names, stack
 * traces and messages of unexpected failures never reach the caller; those are logged under a reference the answer
 * names.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** The request path a problem names as its instance, cut (and made safe) so that no answer echoes a huge input. */
    private static final int MAX_INSTANCE = 256;
    /** admin_shutdown, crash_shutdown, cannot_connect_now (starting up, in recovery). */

    public static Response toResponse(ApiProblem problem, String instance) {
        Response.ResponseBuilder builder = Response.status(problem.status())
                .type(ProblemBody.MEDIA_TYPE)
                .entity(problem.body(instance == null ? null : SafeText.of(instance, MAX_INSTANCE)));
        for (Map.Entry<String, String> header : problem.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response problem(ApiProblem problem, HttpServerRequest request) {
        return toResponse(problem, request.path());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return toResponse(Problems.unauthorized("a valid bearer token is required"), request.path());
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return toResponse(Problems.unauthorized("the bearer token is invalid, expired or not for this service"),
                request.path());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return toResponse(new ApiProblem(403, "scope-missing", "The token lacks a scope",
                "the token does not carry the scope this call needs"), request.path());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, HttpServerRequest request) {
        String detail = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ProblemMapper::describe)
                .collect(Collectors.joining("; "));
        return toResponse(Problems.invalidRequest(detail), request.path());
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, HttpServerRequest request) {
        return toResponse(Problems.invalidRequest("the body is not the JSON this call takes"), request.path());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        ApiProblem problem = switch (status) {
            case 400 -> Problems.invalidRequest("the request is malformed");
            case 401 -> Problems.unauthorized("a valid bearer token is required");
            case 403 -> new ApiProblem(403, "forbidden", "Forbidden", "this call is not allowed");
            case 404 -> Problems.notFound("no such resource");
            case 405 -> new ApiProblem(405, "method-not-allowed", "Method not allowed",
                    "this resource does not take " + request.method());
            case 406 -> new ApiProblem(406, "not-acceptable", "Not acceptable", "no representation matches Accept");
            case 415 -> new ApiProblem(415, "unsupported-media-type", "Unsupported media type",
                    "this call does not take that Content-Type");
            default -> status >= 500 ? failure(e) : new ApiProblem(status, "http-" + status, "Request refused", null);
        };
        return toResponse(problem, request.path());
    }

    @ServerExceptionMapper(priority = Integer.MAX_VALUE)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        return toResponse(failure(e), request.path());
    }

    /**
     * An unexpected failure: logged under a reference, answered as a 500 that names only the reference — except a
     * store that cannot be reached (the database down or in crash recovery), which is no fault of the service's
     * code: {@code 503 store-unavailable} with {@code Retry-After}, so that a client retries and an operator's
     * log is not flooded with a stack trace per call.
     */
    public static ApiProblem failure(Throwable e) {
        if (e instanceof ApiProblem problem) {
            return problem;
        }
        if (unreachable(e)) {
            LOG.warnf("a store is unreachable, call refused with 503: %s", e);
            return Problems.storeUnavailable();
        }
        if (poolFull(e)) {
            // under load: no stack trace per call (that would cost the CPU the node is short of)
            LOG.debugf("a connection pool's wait queue is full, call refused with 503: %s", e);
            return Problems.overloaded();
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, reference %s", reference);
        return Problems.internal(reference);
    }

    /**
     * Whether {@code e} (or a cause of it) says the store could not be reached rather than that it refused the
     * call: no connection opened, or the open one was reset or closed under the call (a socket's failure: the
     * stores are the only peers a call talks to over one), or PostgreSQL's own answer that it is
     * shutting down, crashed or still recovering (SQLSTATE class 08, {@code 57P01}–{@code 57P03}).
     */
    static boolean unreachable(Throwable e) {
        return StoreFailures.isAway(e, cause -> cause instanceof PgException pg ? pg.getSqlState() : null,
                cause -> cause instanceof ClosedConnectionException);
    }

    /** Whether {@code e} (or a cause of it) is a Redis or PostgreSQL pool refusing to queue one more waiter. */
    static boolean poolFull(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return true;
            }
        }
        return false;
    }

    /** The field as the caller knows it: the path without the resource method and its parameter. */
    private static String describe(ConstraintViolation<?> violation) {
        List<String> field = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() != ElementKind.METHOD && node.getKind() != ElementKind.PARAMETER) {
                field.add(node.toString());
            }
        }
        return (field.isEmpty() ? "body" : String.join(".", field)) + ": " + violation.getMessage();
    }
}
