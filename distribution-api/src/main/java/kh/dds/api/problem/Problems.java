package kh.dds.api.problem;

import java.time.LocalDate;
import java.util.Map;

/** The problems the API answers with, one factory a type. The names are part of the API contract. */
public final class Problems {

    private Problems() {
    }

    public static ApiProblem invalidRequest(String detail) {
        return new ApiProblem(400, "invalid-request", "The request is malformed", detail);
    }

    public static ApiProblem invalidKidc(String detail) {
        return new ApiProblem(400, "invalid-kidc", "The KIdC is malformed", detail);
    }

    public static ApiProblem invalidClaim(String detail) {
        return new ApiProblem(400, "invalid-claim", "A claim or condition is malformed", detail);
    }

    public static ApiProblem operatorMissing() {
        return new ApiProblem(400, "operator-missing", "The operator is not named",
                "this contract requires the X-Operator-Id header on every personal-data call");
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Authentication is required", detail,
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiProblem clientRevoked() {
        return new ApiProblem(401, "client-revoked", "The client has been revoked",
                "the token belongs to a client that no longer exists or was revoked",
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    public static ApiProblem scopeMissing(String scope) {
        return new ApiProblem(403, "scope-missing", "The token lacks a scope", "this call needs the scope '" + scope + "'");
    }

    public static ApiProblem contractMissing() {
        return new ApiProblem(403, "contract-missing", "The token names no contract",
                "personal-data calls are made under a contract; this client has none");
    }

    public static ApiProblem contractSuspended() {
        return new ApiProblem(403, "contract-suspended", "The contract is suspended",
                "calls under this contract are refused while it is suspended");
    }

    public static ApiProblem contractExpired() {
        return new ApiProblem(403, "contract-expired", "The contract is not in force",
                "the contract has expired or is not yet valid");
    }

    public static ApiProblem productNotAllowed(String product) {
        return new ApiProblem(403, "product-not-allowed", "The contract does not include this product",
                "the contract does not allow " + product);
    }

    public static ApiProblem unknownPurpose(String detail) {
        return new ApiProblem(403, "unknown-purpose", "The purpose is not allowed", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail);
    }

    public static ApiProblem conflict(String name, String title, String detail) {
        return new ApiProblem(409, name, title, detail);
    }

    public static ApiProblem tariffChangeInClosedMonth(LocalDate effectiveFrom, LocalDate firstOpenDay) {
        return new ApiProblem(409, "tariff-change-in-closed-month", "The tariff change reaches into a closed month",
                "tariffEffectiveFrom " + effectiveFrom + " is before " + firstOpenDay + ": the months before the "
                        + "current one (Asia/Phnom_Penh) are being or have been invoiced");
    }

    public static ApiProblem idempotencyKeyReused() {
        return new ApiProblem(422, "idempotency-key-reused", "The idempotency key was used for another request",
                "an Idempotency-Key may be repeated only with the very same request");
    }

    public static ApiProblem idempotencyInProgress() {
        return new ApiProblem(409, "idempotency-in-progress", "The first request with this key is still running",
                "retry once the first request with this Idempotency-Key has been answered",
                Map.of("Retry-After", "1"));
    }

    public static ApiProblem rateLimited(long retryAfterSeconds) {
        return new ApiProblem(429, "rate-limited", "Too many requests",
                "the contract's rate limit is reached; retry after " + retryAfterSeconds + " s",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public static ApiProblem quotaExceeded(long retryAfterSeconds) {
        return new ApiProblem(429, "quota-exceeded", "The monthly quota is used up",
                "the contract's monthly quota is used up until the next calendar month (Asia/Phnom_Penh)",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public static ApiProblem auditUnavailable() {
        return new ApiProblem(503, "audit-unavailable", "The audit trail cannot be written",
                "no answer is sent whose audit record is not durable; retry later", Map.of("Retry-After", "5"));
    }

    public static ApiProblem countersUnavailable() {
        return new ApiProblem(503, "counters-unavailable", "The usage counters cannot be written",
                "no call is admitted whose rate, quota and idempotency key cannot be counted; retry later",
                Map.of("Retry-After", "5"));
    }

    /** A database (or another store) the call needs is away: a restart or an outage, not a fault of the call. */
    public static ApiProblem storeUnavailable() {
        return new ApiProblem(503, "store-unavailable", "A store this call needs cannot be reached",
                "the service's database is away or restarting; retry later", Map.of("Retry-After", "5"));
    }

    /** The node is full (its in-flight bound, or a connection pool's wait queue): refused at once, retry shortly. */
    public static ApiProblem overloaded() {
        return new ApiProblem(503, "overloaded", "The service is at capacity",
                "this node is answering as many calls as it can; retry after the delay given",
                Map.of("Retry-After", "1"));
    }

    public static ApiProblem internal(String reference) {
        return new ApiProblem(500, "internal-error", "The service failed",
                "the failure is logged under reference " + reference);
    }
}
