package kh.dds.schema.event;

import java.time.Instant;

/**
 * The replica's compact change signal on {@link Topics#PERSON_CHANGES} (key = KIdC, compacted): the replica's row of
 * this person is now at {@code version}, last changed by a registry event that occurred at {@code dataAsOf}. A reader
 * that caches person records drops any cached copy older than {@code version}. Signals may repeat (after a replica
 * restart); a repeat is harmless.
 */
public record PersonChange(String kidc, long version, PersonStatus status, Instant dataAsOf) {
}
