package kh.dds.billing.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import kh.dds.schema.stream.StoreFailures;
import kh.dds.schema.text.SafeText;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every exception becomes problem+json; unexpected ones are logged under a reference and answered with it alone. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** The request path a problem names as its instance, cut (and made safe) so that no answer echoes a huge input. */
    private static final int MAX_INSTANCE = 256;

    static Response toResponse(BillingProblem problem, HttpServerRequest request) {
        Response.ResponseBuilder answer = Response.status(problem.status()).type(BillingProblem.MEDIA_TYPE)
                .entity(problem.body(SafeText.of(request.path(), MAX_INSTANCE)));
        if (problem.status() == 503) {
            answer.header("Retry-After", "5");
        }
        return answer.build();
    }

    @ServerExceptionMapper
    public Response problem(BillingProblem problem, HttpServerRequest request) {
        return toResponse(problem, request);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return toResponse(BillingProblem.unauthorized("a valid bearer token is required"), request);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return toResponse(BillingProblem.unauthorized("the bearer token is invalid, expired or not for this service"),
                request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        BillingProblem problem = switch (status) {
            case 400 -> BillingProblem.invalidRequest("the request is malformed");
            case 404 -> BillingProblem.notFound("no such resource");
            case 405 -> new BillingProblem(405, "method-not-allowed", "Method not allowed",
                    "this resource does not take " + request.method());
            case 406 -> new BillingProblem(406, "not-acceptable", "Not acceptable",
                    "no representation matches Accept");
            default -> status >= 500 ? failure(e) : new BillingProblem(status, "http-" + status, "Request refused",
                    null);
        };
        return toResponse(problem, request);
    }

    @ServerExceptionMapper(priority = Integer.MAX_VALUE)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        return toResponse(failure(e), request);
    }

    private static BillingProblem failure(Throwable e) {
        if (e instanceof BillingProblem problem) {
            return problem;
        }
        // the database down or recovering is no fault of billing's code: 503, and no stack trace per call
        if (StoreFailures.isAway(e, cause -> cause instanceof PgException pg ? pg.getSqlState() : null,
                cause -> cause instanceof ClosedConnectionException)) {
            LOG.warnf("the database is unreachable, call refused with 503: %s", e);
            return BillingProblem.storeUnavailable();
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, reference %s", reference);
        return BillingProblem.internal(reference);
    }
}
