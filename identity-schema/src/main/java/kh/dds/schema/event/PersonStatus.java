package kh.dds.schema.event;

/** A person's standing in the registry. */
public enum PersonStatus {
    ACTIVE,
    DECEASED,
    /** Retired as a duplicate in favour of a surviving KIdC. */
    RETIRED
}
