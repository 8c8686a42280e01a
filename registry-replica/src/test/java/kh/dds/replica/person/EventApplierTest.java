package kh.dds.replica.person;

import static kh.dds.replica.RegistryEvents.CODEC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import kh.dds.replica.RegistryEvents;
import kh.dds.replica.person.EventApplier.Result;
import kh.dds.schema.event.EventPayload;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.PersonStatus;
import org.junit.jupiter.api.Test;

class EventApplierTest {

    private final EventApplier applier = new EventApplier(CODEC.mapper());
    private final String kidc = RegistryEvents.newKidc();

    private PersonState registered() {
        return ((Result.Applied) applier.apply(PersonState.unknown(kidc), RegistryEvents.registered(kidc))).state();
    }

    private PersonState applied(PersonState state, kh.dds.schema.event.RegistryEvent event) {
        return assertInstanceOf(Result.Applied.class, applier.apply(state, event)).state();
    }

    private String refused(PersonState state, kh.dds.schema.event.RegistryEvent event) {
        return assertInstanceOf(Result.Refused.class, applier.apply(state, event)).reason();
    }

    @Test
    void registersAndChangesName() {
        PersonState state = registered();
        assertEquals(1, state.version());
        assertEquals(PersonStatus.ACTIVE, state.status());
        state = applied(state, RegistryEvents.nameChanged(kidc, 2, "CHAN"));
        assertEquals("CHAN", state.record().get("familyNameLatin").asText());
        assertEquals("DARA", state.record().get("givenNameLatin").asText());
        assertEquals(2, state.version());
    }

    @Test
    void onlyTheNextSequenceMayBeApplied() {
        assertThrows(IllegalArgumentException.class,
                () -> applier.apply(registered(), RegistryEvents.nameChanged(kidc, 3, "CHAN")));
    }

    @Test
    void theFirstEventMustCarryARecord() {
        assertTrue(refused(PersonState.unknown(kidc), RegistryEvents.event(EventType.NameChanged, kidc, 1,
                new EventPayload.NameChange(null, null, "CHAN", "DARA"))).contains("no record"));
    }

    @Test
    void aDeceasedPersonTakesOnlyCorrectionsRevocationsAndMerges() {
        PersonState dead = applied(registered(), RegistryEvents.deceased(kidc, 2, LocalDate.of(2026, 1, 2)));
        assertEquals(PersonStatus.DECEASED, dead.status());
        assertEquals(LocalDate.of(2026, 1, 2), dead.dateOfDeath());
        assertTrue(refused(dead, RegistryEvents.addressChanged(kidc, 3, "02")).contains("deceased"));
        PersonState revoked = applied(dead, RegistryEvents.documentRevoked(kidc, 3, "010203040"));
        assertEquals("REVOKED", revoked.record().get("documents").get(0).get("status").asText());
        assertEquals(PersonStatus.DECEASED, revoked.status());
    }

    @Test
    void aDeathBeforeTheBirthIsRefused() {
        assertTrue(refused(registered(), RegistryEvents.deceased(kidc, 2, LocalDate.of(1980, 1, 1)))
                .contains("before the date of birth"));
    }

    @Test
    void aMergedPersonIsRetiredAndTakesNothingMore() {
        String survivor = RegistryEvents.newKidc();
        PersonState retired = applied(registered(), RegistryEvents.merged(kidc, 2, survivor));
        assertEquals(PersonStatus.RETIRED, retired.status());
        assertEquals(survivor, retired.survivorKidc());
        assertTrue(refused(retired, RegistryEvents.nameChanged(kidc, 3, "CHAN")).contains("retired in favour of " + survivor));
    }

    @Test
    void documentsAreIssuedOnceAndRevokedOnce() {
        PersonState state = registered();
        assertTrue(refused(state, RegistryEvents.documentRevoked(kidc, 2, "999")).contains("holds no"));
        PersonState revoked = applied(state, RegistryEvents.documentRevoked(kidc, 2, "010203040"));
        assertTrue(refused(revoked, RegistryEvents.documentRevoked(kidc, 3, "010203040")).contains("already revoked"));
    }

    @Test
    void aCorrectionReplacesTheRecordButNotTheStatus() {
        PersonState dead = applied(registered(), RegistryEvents.deceased(kidc, 2, LocalDate.of(2026, 1, 2)));
        PersonState corrected = applied(dead, RegistryEvents.event(EventType.PersonCorrected, kidc, 3,
                RegistryEvents.record("KEO", "SOPHEA")));
        assertEquals("KEO", corrected.record().get("familyNameLatin").asText());
        assertEquals(PersonStatus.DECEASED, corrected.status());
    }

    @Test
    void aDeadLetteredTurnMovesTheSequenceOn() {
        PersonState skipped = PersonState.unknown(kidc).skipped(1, java.time.Instant.EPOCH);
        assertEquals(1, skipped.version());
        PersonState corrected = applied(skipped, RegistryEvents.event(EventType.PersonCorrected, kidc, 2,
                RegistryEvents.record("KEO", "SOPHEA")));
        assertEquals(PersonStatus.ACTIVE, corrected.status());
    }
}
