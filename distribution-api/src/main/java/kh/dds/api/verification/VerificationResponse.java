package kh.dds.api.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import kh.dds.api.verification.matching.ClaimResults;
import kh.dds.api.verification.matching.ConditionResults;
import kh.dds.api.verification.matching.Decision;
import kh.dds.api.verification.matching.KidcStatus;

/**
 * The answer to a verification: enums and booleans only, never a registry value.
 *
 * @param verificationId the call's lookup id, as the audit trail knows it
 * @param reference      the caller's own reference, echoed
 * @param dataAsOf       the time of the last registry event applied to this person (for an unknown KIdC: to the
 *                       replica as a whole)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationResponse(String verificationId, String reference, KidcStatus kidcStatus, Decision decision,
                                   ClaimResults claims, ConditionResults conditions, Instant dataAsOf) {
}
