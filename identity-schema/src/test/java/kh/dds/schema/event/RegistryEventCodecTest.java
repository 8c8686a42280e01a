package kh.dds.schema.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import kh.dds.schema.event.EventPayload.PersonRecord;
import org.junit.jupiter.api.Test;

class RegistryEventCodecTest {

    private final RegistryEventCodec codec = new RegistryEventCodec();

    static final String REGISTERED = """
            { "eventId": "8b0f2a4c-2f5e-4e53-9d7c-1f6a7e0c0a01", "type": "PersonRegistered", "kidc": "1000000028",
              "sequence": 1, "occurredAt": "2026-11-23T08:00:00Z", "somethingNew": true,
              "payload": { "familyNameKh": "សុខ", "givenNameKh": "ដារ៉ា", "familyNameLatin": "SOK", "givenNameLatin": "DARA",
                "sex": "M", "dateOfBirth": "1990-05",
                "placeOfBirth": { "province": "12", "district": "1201", "commune": "120101" },
                "nationality": "KHM", "citizenship": "KHM", "maritalStatus": "SINGLE",
                "parents": [], "children": [],
                "address": { "province": "12", "district": "1201", "commune": "120101", "village": "12010101" },
                "documents": [ { "type": "NATIONAL_ID", "number": "010203040", "issuedOn": "2020-01-15",
                                 "expiresOn": "2030-01-14", "status": "VALID" } ] } }
            """;

    @Test
    void readsTheSpecExampleAndIgnoresUnknownFields() {
        RegistryEvent event = codec.decode(REGISTERED);
        assertEquals(EventType.PersonRegistered, event.type());
        assertEquals(1, event.sequence());
        assertEquals(Instant.parse("2026-11-23T08:00:00Z"), event.occurredAt());
        PersonRecord record = assertInstanceOf(PersonRecord.class, event.payload());
        assertEquals("ដារ៉ា", record.givenNameKh());
        assertEquals("1990-05", record.dateOfBirth());
        assertEquals(LocalDate.of(2030, 1, 14), record.documents().get(0).expiresOn());
    }

    @Test
    void roundTrips() {
        RegistryEvent event = codec.decode(REGISTERED);
        assertEquals(event, codec.decode(codec.encode(event)));
    }

    @Test
    void namesTheMissingOrIllFormedField() {
        assertReason("payload.sex: missing", REGISTERED.replace("\"sex\": \"M\",", ""));
        assertReason("payload.address.village: must be 8 digits extending 120101",
                REGISTERED.replace("12010101", "13010101"));
        assertReason("payload.dateOfBirth: no such day", REGISTERED.replace("1990-05", "1990-02-30"));
        assertReason("type: unknown event type", REGISTERED.replace("PersonRegistered", "PersonVanished"));
        assertReason("sequence: PersonRegistered must have sequence 1", REGISTERED.replace("\"sequence\": 1", "\"sequence\": 2"));
        assertReason("not JSON", "{ nope");
    }

    @Test
    void keepsTheEnvelopeOfAMalformedEvent() {
        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> codec.decode(REGISTERED.replace("\"nationality\": \"KHM\",", "")));
        assertEquals("1000000028", e.kidc());
        assertEquals(1, e.sequence());
        MalformedEventException badKidc = assertThrows(MalformedEventException.class,
                () -> codec.decode(REGISTERED.replace("1000000028", "1000000029")));
        assertNull(badKidc.kidc());
    }

    @Test
    void readsEveryOtherType() {
        String envelope = "{\"eventId\":\"8b0f2a4c-2f5e-4e53-9d7c-1f6a7e0c0a02\",\"kidc\":\"1000000028\",\"sequence\":2,"
                + "\"occurredAt\":\"2026-11-23T09:00:00Z\",";
        List<String> events = List.of(
                "\"type\":\"NameChanged\",\"payload\":{\"familyNameLatin\":\"CHAN\",\"givenNameLatin\":\"DARA\"}}",
                "\"type\":\"AddressChanged\",\"payload\":{\"address\":{\"province\":\"02\"}}}",
                "\"type\":\"CivilStatusChanged\",\"payload\":{\"maritalStatus\":\"MARRIED\"}}",
                "\"type\":\"DocumentIssued\",\"payload\":{\"document\":{\"type\":\"PASSPORT\",\"number\":\"N1\"}}}",
                "\"type\":\"DocumentRevoked\",\"payload\":{\"type\":\"PASSPORT\",\"number\":\"N1\"}}",
                "\"type\":\"PersonDeceased\",\"payload\":{\"dateOfDeath\":\"2026-01-02\"}}",
                "\"type\":\"PersonMerged\",\"payload\":{\"survivorKidc\":\"1000000036\"}}");
        for (String event : events) {
            RegistryEvent decoded = codec.decode(envelope + event);
            assertEquals(decoded, codec.decode(codec.encode(decoded)));
        }
        assertReason("payload.survivorKidc: a person cannot be merged into itself",
                envelope + "\"type\":\"PersonMerged\",\"payload\":{\"survivorKidc\":\"1000000028\"}}");
    }

    private void assertReason(String reason, String json) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> codec.decode(json));
        assertEquals(reason, e.reason());
    }
}
