package kh.dds.replica.ingest;

import java.time.Instant;
import java.util.List;
import kh.dds.schema.event.PersonChange;

/** What one batch did to the replica, once committed. */
public record BatchOutcome(long applied, long duplicates, long held, long released, long deadLettered, long newPersons,
                           Instant lastEventAt, List<PersonChange> changes) {
}
