package kh.dds.simulator.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kh.dds.schema.event.EventPayload.DocumentIssue;
import kh.dds.schema.event.EventPayload.DocumentRevocation;
import kh.dds.schema.event.EventPayload.Merge;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.MalformedEventException;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.simulator.population.Population;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifeEventsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T08:00:00Z"), ZoneOffset.UTC);
    private static final int N = 5000;
    private static Population population;
    private static Map<String, Integer> indexByKidc;

    private final RegistryEventCodec codec = new RegistryEventCodec();

    @TempDir
    Path directory;

    @BeforeAll
    static void build() {
        population = new Population(11, N);
        indexByKidc = new HashMap<>();
        for (int i = 0; i < N; i++) {
            indexByKidc.put(population.kidc(i), i);
        }
    }

    private LifeEvents generator(RegistryLedger ledger, int malformedPerMillion) {
        return new LifeEvents(population, ledger, EventMix.defaultMix(), malformedPerMillion, codec, CLOCK);
    }

    private static List<String> take(LifeEvents events, int count) {
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(events.next().value());
        }
        return values;
    }

    /** What a consumer knows of one person while following the stream. */
    private static final class Person {
        long sequence;
        String status = "ACTIVE";
        final Set<String> validDocuments = new HashSet<>();
    }

    @Test
    void everyEventDecodesAndCarriesTheNextSequenceOfAPersonWhoCanHaveIt() {
        LifeEvents events = generator(new RegistryLedger(11, N), 0);
        Map<String, Person> persons = new HashMap<>();
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        for (int n = 0; n < 30_000; n++) {
            OutgoingEvent outgoing = events.next();
            RegistryEvent event = codec.decode(outgoing.value());
            assertEquals(n, outgoing.number());
            assertEquals(outgoing.key(), event.kidc());
            assertEquals(outgoing.sequence(), event.sequence());
            counts.merge(event.type(), 1, Integer::sum);

            Person person = persons.get(event.kidc());
            if (person == null) {
                person = new Person();
                Integer index = indexByKidc.get(event.kidc());
                if (index != null) {
                    person.sequence = 1;
                    for (IdentityDocument d : population.record(index).documents()) {
                        if (d.status().equals(IdentityDocument.VALID)) {
                            person.validDocuments.add(d.type() + ":" + d.number());
                        }
                    }
                } else {
                    assertEquals(EventType.PersonRegistered, event.type(), "a new KIdC first appears at birth");
                }
                persons.put(event.kidc(), person);
            }
            assertEquals(person.sequence + 1, event.sequence(), "consecutive sequences for " + event.kidc());
            person.sequence = event.sequence();
            if (!person.status.equals("ACTIVE")) {
                assertEquals("DECEASED", person.status, "no event about a retired person");
                assertEquals(EventType.DocumentRevoked, event.type(), "after death only documents are revoked");
            }
            switch (event.type()) {
                case PersonRegistered -> {
                    PersonRecord baby = (PersonRecord) event.payload();
                    assertFalse(baby.parents().isEmpty());
                    String mother = baby.parents().get(0);
                    assertTrue(indexByKidc.containsKey(mother), "the mother is of the population");
                    Person motherNow = persons.get(mother);
                    assertTrue(motherNow == null || motherNow.status.equals("ACTIVE"), "the mother is alive");
                }
                case DocumentIssued -> {
                    IdentityDocument document = ((DocumentIssue) event.payload()).document();
                    assertTrue(person.validDocuments.add(document.type() + ":" + document.number()));
                }
                case DocumentRevoked -> {
                    DocumentRevocation revocation = (DocumentRevocation) event.payload();
                    assertTrue(person.validDocuments.remove(revocation.type() + ":" + revocation.number()),
                            "a revoked document is one the person holds");
                }
                case PersonDeceased -> person.status = "DECEASED";
                case PersonMerged -> {
                    String survivor = ((Merge) event.payload()).survivorKidc();
                    assertNotEquals(event.kidc(), survivor);
                    Person survivorNow = persons.get(survivor);
                    assertTrue(survivorNow == null || survivorNow.status.equals("ACTIVE"), "the survivor is active");
                    person.status = "RETIRED";
                }
                default -> {
                }
            }
        }
        for (EventType type : EventType.values()) {
            assertTrue(counts.getOrDefault(type, 0) > 0, type + " occurs");
        }
        assertTrue(counts.get(EventType.AddressChanged) > counts.get(EventType.DocumentIssued),
                "address changes are the most common");
    }

    @Test
    void deathsComeMostlyToTheOld() {
        Population large = new Population(12, 20_000);
        LifeEvents events = new LifeEvents(large, new RegistryLedger(12, 20_000), EventMix.parse("PersonDeceased=1"),
                0, codec, CLOCK);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < large.size(); i++) {
            index.put(large.kidc(i), i);
        }
        int old = 0;
        for (int n = 0; n < 200; n++) {
            Integer person = index.get(events.next().key());
            old += person != null && large.age(person) >= 60 ? 1 : 0;
        }
        assertTrue(old > 120, "deaths at 60 or over: " + old + " of 200 (the 60+ are about 8% of the population)");
    }

    @Test
    void theSameSeedAndLedgerGiveTheSameEvents() {
        List<String> first = take(generator(new RegistryLedger(11, N), 0), 5000);
        List<String> second = take(generator(new RegistryLedger(11, N), 0), 5000);
        assertEquals(first, second);
    }

    @Test
    void aRestoredLedgerContinuesExactlyWhereItStopped() throws IOException {
        LifeEvents original = generator(new RegistryLedger(11, N), 0);
        take(original, 8000);
        Path state = directory.resolve("stream.state");
        LedgerFile.save(original.ledger(), "2026-01-01", state);
        List<String> continued = take(original, 8000);

        RegistryLedger restored = LedgerFile.load(state, 11, N, "2026-01-01");
        assertEquals(8000, restored.nextEvent());
        List<String> resumed = take(generator(restored, 0), 8000);
        assertEquals(continued, resumed);
    }

    @Test
    void aLedgerOfAnotherPopulationIsRefused() throws IOException {
        Path state = directory.resolve("stream.state");
        LedgerFile.save(new RegistryLedger(11, N), "2026-01-01", state);
        assertThrows(IOException.class, () -> LedgerFile.load(state, 12, N, "2026-01-01"));
        assertThrows(IOException.class, () -> LedgerFile.load(state, 11, N + 1, "2026-01-01"));
        assertThrows(IOException.class, () -> LedgerFile.load(state, 11, N, "2026-06-01"));
    }

    @Test
    void malformedEventsKeepAValidEnvelopeAndTheirPlaceInTheSequence() {
        LifeEvents events = generator(new RegistryLedger(11, N), 100_000);
        Map<String, Long> sequences = new HashMap<>();
        int malformed = 0;
        for (int n = 0; n < 5000; n++) {
            OutgoingEvent outgoing = events.next();
            long expected = sequences.getOrDefault(outgoing.key(), indexByKidc.containsKey(outgoing.key()) ? 1L : 0L)
                    + 1;
            assertEquals(expected, outgoing.sequence());
            sequences.put(outgoing.key(), outgoing.sequence());
            if (outgoing.malformed()) {
                malformed++;
                MalformedEventException e = assertThrows(MalformedEventException.class,
                        () -> codec.decode(outgoing.value()));
                assertEquals(outgoing.key(), e.kidc());
                assertEquals(outgoing.sequence(), e.sequence());
                assertTrue(e.reason().startsWith("payload."), e.reason());
            } else {
                codec.decode(outgoing.value());
            }
        }
        assertTrue(malformed > 350 && malformed < 650, "about 10% malformed: " + malformed);
    }

    @Test
    void malformedEventsDoNotChangeTheOthers() {
        List<String> clean = take(generator(new RegistryLedger(11, N), 0), 2000);
        LifeEvents withMalformed = generator(new RegistryLedger(11, N), 1000);
        int same = 0;
        for (int n = 0; n < 2000; n++) {
            OutgoingEvent outgoing = withMalformed.next();
            if (!outgoing.malformed() && outgoing.value().equals(clean.get(n))) {
                same++;
            }
        }
        assertTrue(same > 1900, "only the malformed events (and what they did not change) differ: " + same);
    }
}
