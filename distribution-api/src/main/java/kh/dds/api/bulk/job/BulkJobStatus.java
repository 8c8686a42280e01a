package kh.dds.api.bulk.job;

/** Where a bulk job stands (SPEC §4.3). */
public enum BulkJobStatus {
    /** Its upload is arriving; chunks are written as they come, none is worked on yet. */
    RECEIVING,
    /** Received whole; waiting for a node to take its first chunk. */
    QUEUED,
    /** At least one chunk has been taken. */
    RUNNING,
    /** Every line has its result row (a job stopped by the quota completes too, its rest {@code quota-exceeded}). */
    COMPLETED,
    /** Cancelled by its contract; lines not verified by then are neither audited nor billed. */
    CANCELLED,
    /** The upload could not be taken (cut off, too large, an unreadable CSV header), or the contract ceased. */
    FAILED;

    public boolean open() {
        return this == RECEIVING || this == QUEUED || this == RUNNING;
    }
}
