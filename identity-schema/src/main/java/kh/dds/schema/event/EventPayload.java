package kh.dds.schema.event;

import java.time.LocalDate;
import java.util.List;

/** The payload of a registry event, one record per {@link EventType}, with the registry's field names. */
public sealed interface EventPayload {

    /** The full record, carried by {@code PersonRegistered} and {@code PersonCorrected}. */
    record PersonRecord(String familyNameKh, String givenNameKh, String familyNameLatin, String givenNameLatin,
                        String sex, String dateOfBirth, Place placeOfBirth, String nationality, String citizenship,
                        String maritalStatus, List<String> parents, List<String> children, Address address,
                        List<IdentityDocument> documents) implements EventPayload {
    }

    record NameChange(String familyNameKh, String givenNameKh, String familyNameLatin, String givenNameLatin)
            implements EventPayload {
    }

    record AddressChange(Address address) implements EventPayload {
    }

    record CivilStatusChange(String maritalStatus) implements EventPayload {
    }

    record DocumentIssue(IdentityDocument document) implements EventPayload {
    }

    record DocumentRevocation(String type, String number) implements EventPayload {
    }

    record Death(LocalDate dateOfDeath) implements EventPayload {
    }

    record Merge(String survivorKidc) implements EventPayload {
    }
}
