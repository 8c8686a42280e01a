package kh.dds.api.call;

import kh.dds.api.contract.Scope;
import kh.dds.api.problem.ApiProblem;
import kh.dds.schema.lookup.Product;

/**
 * A call as the pipeline sees it before any work.
 *
 * @param subjectKidc    the KIdC the call names, as given (checked by the pipeline); {@code null} for a product
 *                       without a subject ({@link Product#hasSubject()}: statistics)
 * @param idempotencyKey the {@code Idempotency-Key} header, or {@code null}
 * @param fingerprint    what makes two requests the same request (for idempotency)
 * @param malformed      the request's own problem, found while reading it, or {@code null}: refused (and audited)
 *                       once the contract is known
 * @param path           the request path, the problem's {@code instance}
 * @param detail         what the lookup record keeps beyond the subject (a statistics query's canonical parameters),
 *                       or {@code null}
 */
public record CallRequest(Product product, Scope scope, String subjectKidc, String purpose, String operatorId,
                          String idempotencyKey, String fingerprint, ApiProblem malformed, String path, String detail) {

    /** A call about one person: no detail beyond its subject. */
    public CallRequest(Product product, Scope scope, String subjectKidc, String purpose, String operatorId,
                       String idempotencyKey, String fingerprint, ApiProblem malformed, String path) {
        this(product, scope, subjectKidc, purpose, operatorId, idempotencyKey, fingerprint, malformed, path, null);
    }
}
