package kh.dds.billing.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A refusal with a stable RFC 9457 type, {@code https://dds.gov.kh/problems/<name>}, as the API's are. */
public final class BillingProblem extends RuntimeException {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://dds.gov.kh/problems/";

    /** The problem document. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String type, String title, int status, String detail, String instance) {
    }

    private final int status;
    private final String name;
    private final String title;

    public BillingProblem(int status, String name, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.name = name;
        this.title = title;
    }

    public static BillingProblem invalidRequest(String detail) {
        return new BillingProblem(400, "invalid-request", "The request is invalid", detail);
    }

    public static BillingProblem unauthorized(String detail) {
        return new BillingProblem(401, "unauthorized", "Authentication required", detail);
    }

    public static BillingProblem clientRevoked() {
        return new BillingProblem(401, "client-revoked", "The client is revoked",
                "the token's client has been revoked");
    }

    public static BillingProblem scopeMissing(String scope) {
        return new BillingProblem(403, "scope-missing", "The token lacks a scope",
                "this call needs the scope '" + scope + "'");
    }

    public static BillingProblem notFound(String detail) {
        return new BillingProblem(404, "not-found", "Not found", detail);
    }

    public static BillingProblem monthOpen(String detail) {
        return new BillingProblem(409, "month-not-closed", "The month is not over", detail);
    }

    /** The database is away or restarting: answered with {@code Retry-After}. */
    public static BillingProblem storeUnavailable() {
        return new BillingProblem(503, "store-unavailable", "A store this call needs cannot be reached",
                "the service's database is away or restarting; retry later");
    }

    public static BillingProblem internal(String reference) {
        return new BillingProblem(500, "internal-error", "Internal error",
                "the failure is logged under reference " + reference);
    }

    public int status() {
        return status;
    }

    public Body body(String instance) {
        return new Body(TYPE_BASE + name, title, status, getMessage(), instance);
    }
}
