package kh.dds.schema.lookup;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import kh.dds.schema.text.SafeText;

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
 * @param detail        what the call concerned beyond its subject, as canonical {@code name=value} pairs joined by
 *                      {@code &} (values percent-encoded where they hold {@code &}, {@code =} or {@code %}): for a
 *                      bulk line {@code job=<job id>&line=<line number>}, for a statistics query its parameters
 *                      ({@code asOf=2026-12-05&groupBy=province,sex&province=12}); {@code null} when there is nothing
 *                      more to say (interactive verification and retrieval)
 */
public record LookupRecord(String lookupId, Instant occurredAt, String contractId, String clientId, String operatorId,
                           String purpose, Product product, String subjectKidc, String outcome, String decision,
                           List<String> fieldsDisclosed, int httpStatus, boolean billable, long latencyMicros,
                           String detail) {

    /** Bound of operator ids and purposes (SPEC §4: at most 128 characters). */
    public static final int MAX_OPERATOR_ID = 128;
    public static final int MAX_PURPOSE = 128;
    /** A KIdC is ten digits; what a caller sent in its place is kept to this many characters (and a digest). */
    public static final int MAX_SUBJECT = 64;
    /** Values the API sets itself (client ids, outcomes, decisions, field names): bounded all the same. */
    public static final int MAX_CODE = 128;
    /** Bound of {@link #detail()}: a job id and a line number, or a statistics query's parameters. */
    public static final int MAX_DETAIL = 512;

    /** A record with no {@linkplain #detail() detail}: an interactive call. */
    public LookupRecord(String lookupId, Instant occurredAt, String contractId, String clientId, String operatorId,
                        String purpose, Product product, String subjectKidc, String outcome, String decision,
                        List<String> fieldsDisclosed, int httpStatus, boolean billable, long latencyMicros) {
        this(lookupId, occurredAt, contractId, clientId, operatorId, purpose, product, subjectKidc, outcome, decision,
                fieldsDisclosed, httpStatus, billable, latencyMicros, null);
    }

    /** The same record with this detail. */
    public LookupRecord withDetail(String value) {
        return new LookupRecord(lookupId, occurredAt, contractId, clientId, operatorId, purpose, product, subjectKidc,
                outcome, decision, fieldsDisclosed, httpStatus, billable, latencyMicros, value);
    }

    /**
     * The record as every store downstream holds it exactly: each string {@linkplain SafeText safe} within its bound
     * and the time to the microsecond (PostgreSQL's precision), so that what the ledger hashes is what it stores.
     * The API writes records in this form; the ledger and billing apply it again, so that a record from any writer
     * can be stored (idempotent: a storable record is returned as it is).
     */
    public LookupRecord storable() {
        Instant micros = occurredAt == null ? null : occurredAt.truncatedTo(ChronoUnit.MICROS);
        List<String> fields = fieldsDisclosed == null || fieldsDisclosed.isEmpty() ? fieldsDisclosed
                : fieldsDisclosed.stream().map(field -> SafeText.of(field, MAX_CODE)).toList();
        String client = SafeText.of(clientId, MAX_CODE);
        String operator = SafeText.of(operatorId, MAX_OPERATOR_ID);
        String purposeKept = SafeText.of(purpose, MAX_PURPOSE);
        String subject = SafeText.of(subjectKidc, MAX_SUBJECT);
        String outcomeKept = SafeText.of(outcome, MAX_CODE);
        String decisionKept = SafeText.of(decision, MAX_CODE);
        String detailKept = SafeText.of(detail, MAX_DETAIL);
        // SafeText gives a safe value back as the same instance: the record is storable when every value came back
        // (compared by reference: cheaper, on every call and every record downstream, than the record's equals)
        boolean unchanged = Objects.equals(micros, occurredAt) && client == clientId
                && operator == operatorId && purposeKept == purpose && subject == subjectKidc
                && outcomeKept == outcome && decisionKept == decision && detailKept == detail
                && Objects.equals(fields, fieldsDisclosed);
        return unchanged ? this : new LookupRecord(lookupId, micros, contractId, client, operator, purposeKept, product,
                subject, outcomeKept, decisionKept, fields, httpStatus, billable, latencyMicros, detailKept);
    }
}
