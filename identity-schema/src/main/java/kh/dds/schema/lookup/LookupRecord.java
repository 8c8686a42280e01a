package kh.dds.schema.lookup;

import java.time.Instant;
import java.util.List;

/**
 * What the distribution API writes, durably and before it answers, for every call that touches personal data —
 * answered, refused or failed. The audit ledger keeps these records and billing meters the billable ones, each
 * exactly once by {@code lookupId}.
 *
 * @param lookupId      unique id of the call (UUID); the de-duplication key downstream
 * @param occurredAt    when the call was received
 * @param contractId    the caller's contract
 * @param clientId      the OAuth2 client that called
 * @param operatorId    the relying party's own staff member or system ({@code X-Operator-Id}), if any
 * @param purpose       the declared purpose
 * @param product       the product used
 * @param subjectKidc   the person looked at, when the request named one (even an invalid one, as given)
 * @param outcome       e.g. {@code ANSWERED}, {@code REFUSED}, {@code FAILED}
 * @param decision      the verification decision or other result code, if any
 * @param fieldsDisclosed the registry fields whose values left the service (empty for a verification)
 * @param httpStatus    the status sent
 * @param billable      whether the call is billed
 * @param latencyMicros time from receipt to the record being written
 */
public record LookupRecord(String lookupId, Instant occurredAt, String contractId, String clientId, String operatorId,
                           String purpose, Product product, String subjectKidc, String outcome, String decision,
                           List<String> fieldsDisclosed, int httpStatus, boolean billable, long latencyMicros) {
}
