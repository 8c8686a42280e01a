package kh.dds.api.verification.matching;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Objects;
import kh.dds.schema.event.PersonStatus;

/**
 * The replica's record of a person, as the matcher reads it.
 *
 * @param record      the person in the registry's field names ({@code PersonRegistered} payload shape)
 * @param status      the person's standing
 * @param dateOfDeath the recorded date of death, or {@code null}
 */
public record RegistryPerson(ObjectNode record, PersonStatus status, LocalDate dateOfDeath) {

    public RegistryPerson {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(status, "status");
    }
}
