package kh.dds.simulator.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kh.dds.schema.event.EventPayload.NameChange;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.simulator.population.Population;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream resumed from a saved ledger (as dds-up's stream is stopped and a bench goes on from its state) with
 * {@code --mix NameChanged=1} writes a name change, to names the person does not already have, for every event.
 */
class NameChangeStreamTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T08:00:00Z"), ZoneOffset.UTC);
    private static final int PERSONS = 20_000;

    @TempDir
    Path directory;

    @Test
    void aResumedNameChangeOnlyStreamChangesANameWithEveryEvent() throws Exception {
        RegistryEventCodec codec = new RegistryEventCodec();
        Population population = new Population(42, PERSONS);
        String reference = population.referenceDate().toString();
        RegistryLedger ledger = new RegistryLedger(42, PERSONS);
        LifeEvents first = new LifeEvents(population, ledger, EventMix.defaultMix(), 0, codec, CLOCK);
        Map<String, List<String>> names = new HashMap<>();
        for (int i = 0; i < PERSONS; i++) {
            names.put(population.kidc(i), namesOf(population.record(i)));
        }
        for (int n = 0; n < 4_000; n++) {
            track(names, codec.decode(first.next().value()));
        }
        Path state = directory.resolve("state");
        LedgerFile.save(ledger, reference, state);

        RegistryLedger resumed = LedgerFile.load(state, 42, PERSONS, reference);
        LifeEvents stream = new LifeEvents(population, resumed, EventMix.parse("NameChanged=1"), 0, codec, CLOCK);
        int events = 20_000;
        int unchanged = 0;
        for (int n = 0; n < events; n++) {
            RegistryEvent event = codec.decode(stream.next().value());
            List<String> before = names.get(event.kidc());
            if (event.payload() instanceof NameChange change) {
                List<String> after = namesOf(change);
                if (after.equals(before)) {
                    unchanged++;
                }
            }
            track(names, event);
        }
        assertEquals(Map.of(EventType.NameChanged, (long) events), stream.counts());
        assertEquals(0, unchanged, "name changes to the names the person already has");
        assertNotEquals(0, names.size());
    }

    private static List<String> namesOf(PersonRecord record) {
        return List.of(String.valueOf(record.familyNameKh()), String.valueOf(record.givenNameKh()),
                String.valueOf(record.familyNameLatin()), String.valueOf(record.givenNameLatin()));
    }

    private static List<String> namesOf(NameChange change) {
        return List.of(String.valueOf(change.familyNameKh()), String.valueOf(change.givenNameKh()),
                String.valueOf(change.familyNameLatin()), String.valueOf(change.givenNameLatin()));
    }

    private static void track(Map<String, List<String>> names, RegistryEvent event) {
        if (event.payload() instanceof PersonRecord record) {
            names.put(event.kidc(), namesOf(record));
        } else if (event.payload() instanceof NameChange change) {
            names.put(event.kidc(), namesOf(change));
        }
    }
}
