package kh.dds.api.call;

import kh.dds.api.contract.Scope;
import kh.dds.api.problem.ApiProblem;
import kh.dds.schema.lookup.Product;

/**
 * A personal-data call as the pipeline sees it before any work.
 *
 * @param subjectKidc    the KIdC the call names, as given (checked by the pipeline)
 * @param idempotencyKey the {@code Idempotency-Key} header, or {@code null}
 * @param fingerprint    what makes two requests the same request (for idempotency)
 * @param malformed      the body's own problem, found while reading it, or {@code null}: refused (and audited)
 *                       once the contract is known
 * @param path           the request path, the problem's {@code instance}
 */
public record CallRequest(Product product, Scope scope, String subjectKidc, String purpose, String operatorId,
                          String idempotencyKey, String fingerprint, ApiProblem malformed, String path) {
}
