package kh.dds.replica.person;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.PersonStatus;

/**
 * A person as the replica holds it: the registry's record (in the registry's field names) and where its sequence
 * stands. {@code record} is {@code null} while the person has a sequence but no readable record (its first event was
 * dead-lettered); such a person is unknown to readers until a correction arrives.
 */
public record PersonState(String kidc, long version, PersonStatus status, ObjectNode record, LocalDate dateOfDeath,
                          String survivorKidc, Instant lastEventAt) {

    /** The state of a person the replica has never heard of. */
    public static PersonState unknown(String kidc) {
        return new PersonState(kidc, 0, null, null, null, null, null);
    }

    /**
     * The state after an event in this person's turn was dead-lettered: the sequence moves on, the record stays.
     */
    public PersonState skipped(long sequence, Instant occurredAt) {
        return new PersonState(kidc, sequence, status, record, dateOfDeath, survivorKidc,
                lastEventAt != null ? lastEventAt : occurredAt);
    }

    public String sex() {
        return record == null ? null : record.path("sex").asText(null);
    }

    /** The (possibly partial) birth date, or {@code null}. */
    public PartialDate birth() {
        String birth = record == null ? null : record.path("dateOfBirth").asText(null);
        return birth == null ? null : PartialDate.parse(birth);
    }

    public String province() {
        return record == null ? null : record.path("address").path("province").asText(null);
    }

    public boolean known() {
        return version > 0;
    }
}
