package kh.dds.replica.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kh.dds.schema.event.PersonChange;

/** What one batch did to the replica, once committed. */
public record BatchOutcome(long applied, long duplicates, long held, long released, long deadLettered, long newPersons,
                           Instant lastEventAt, List<PersonChange> changes) {

    /** Nothing done. */
    public static final BatchOutcome NONE = new BatchOutcome(0, 0, 0, 0, 0, 0, null, List.of());

    /** What this batch and {@code later}, committed after it, did together. */
    public BatchOutcome plus(BatchOutcome later) {
        List<PersonChange> both = new ArrayList<>(changes);
        both.addAll(later.changes);
        Instant last = lastEventAt == null ? later.lastEventAt
                : later.lastEventAt == null || lastEventAt.isAfter(later.lastEventAt) ? lastEventAt : later.lastEventAt;
        return new BatchOutcome(applied + later.applied, duplicates + later.duplicates, held + later.held,
                released + later.released, deadLettered + later.deadLettered, newPersons + later.newPersons, last,
                both);
    }
}
