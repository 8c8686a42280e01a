package kh.dds.api.verification.matching;

/** The overall answer to a verification request. */
public enum Decision {
    MATCH,
    PARTIAL_MATCH,
    NO_MATCH
}
