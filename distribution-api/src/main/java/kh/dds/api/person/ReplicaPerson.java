package kh.dds.api.person;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import kh.dds.api.verification.matching.RegistryPerson;
import kh.dds.schema.event.PersonStatus;

/**
 * A person as the replica holds them.
 *
 * @param version  the registry sequence the replica has applied for this person
 * @param record   the registry's record, in the registry's field names
 * @param dataAsOf when the last registry event applied to this person occurred (SPEC §4: every answer says it)
 */
public record ReplicaPerson(String kidc, long version, PersonStatus status, ObjectNode record, LocalDate dateOfDeath,
                            String survivorKidc, Instant dataAsOf) {

    /** What the verification matcher reads. */
    public RegistryPerson forMatching() {
        return new RegistryPerson(record, status, dateOfDeath);
    }
}
