package kh.dds.api.verification.matching;

/**
 * Everything a verification discloses: the KIdC's standing, the decision, and one enum per claim and predicate.
 * By construction it can hold no registry value.
 */
public record VerificationOutcome(KidcStatus kidcStatus, Decision decision, ClaimResults claims,
                                  ConditionResults conditions) {
}
