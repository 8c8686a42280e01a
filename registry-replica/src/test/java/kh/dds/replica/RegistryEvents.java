package kh.dds.replica;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import kh.dds.schema.event.Address;
import kh.dds.schema.event.EventPayload;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.Place;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;

/** Registry events for tests, written by the same codec the registry's JSON is read with. */
public final class RegistryEvents {

    public static final RegistryEventCodec CODEC = new RegistryEventCodec();
    private static final Random RANDOM = new Random();

    private RegistryEvents() {
    }

    public static String newKidc() {
        synchronized (RANDOM) {
            return Kidc.random(RANDOM, KidcKind.CITIZEN).value();
        }
    }

    public static PersonRecord record(String familyLatin, String givenLatin) {
        return new PersonRecord("សុខ", "ដារ៉ា", familyLatin, givenLatin, "M", "1990-05-17",
                new Place("12", "1201", "120101"), "KHM", "KHM", "SINGLE", List.of(), List.of(),
                new Address("12", "1201", "120101", "12010101"),
                List.of(new IdentityDocument("NATIONAL_ID", "010203040", LocalDate.of(2020, 1, 15),
                        LocalDate.of(2030, 1, 14), IdentityDocument.VALID)));
    }

    public static RegistryEvent event(EventType type, String kidc, long sequence, EventPayload payload) {
        return new RegistryEvent(UUID.randomUUID().toString(), type, kidc, sequence,
                Instant.parse("2026-11-23T08:00:00Z").plusSeconds(sequence), payload);
    }

    public static RegistryEvent registered(String kidc) {
        return event(EventType.PersonRegistered, kidc, 1, record("SOK", "DARA"));
    }

    public static RegistryEvent nameChanged(String kidc, long sequence, String familyLatin) {
        return event(EventType.NameChanged, kidc, sequence,
                new EventPayload.NameChange("សុខ", "ដារ៉ា", familyLatin, "DARA"));
    }

    public static RegistryEvent addressChanged(String kidc, long sequence, String province) {
        return event(EventType.AddressChanged, kidc, sequence,
                new EventPayload.AddressChange(new Address(province, null, null, null)));
    }

    public static RegistryEvent deceased(String kidc, long sequence, LocalDate date) {
        return event(EventType.PersonDeceased, kidc, sequence, new EventPayload.Death(date));
    }

    public static RegistryEvent merged(String kidc, long sequence, String survivor) {
        return event(EventType.PersonMerged, kidc, sequence, new EventPayload.Merge(survivor));
    }

    public static RegistryEvent documentRevoked(String kidc, long sequence, String number) {
        return event(EventType.DocumentRevoked, kidc, sequence,
                new EventPayload.DocumentRevocation("NATIONAL_ID", number));
    }

    public static String json(RegistryEvent event) {
        return CODEC.encode(event);
    }
}
