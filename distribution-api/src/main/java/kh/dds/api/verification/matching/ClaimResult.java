package kh.dds.api.verification.matching;

/** The outcome for one claim. Carries no registry value. */
public enum ClaimResult {
    /** The claim equals what the registry holds (after normalisation). */
    MATCH,
    /** The claim is close but not equal: a near Latin transliteration, or a date agreeing only at a coarser precision. */
    PARTIAL,
    /** The claim contradicts the registry. */
    NO_MATCH,
    /** The registry holds no value to compare the claim with (or the KIdC is unknown or retired). */
    NOT_AVAILABLE
}
