package kh.dds.replica.ingest;

import static io.restassured.RestAssured.given;
import static kh.dds.replica.ReplicaTestSupport.counter;
import static kh.dds.replica.ReplicaTestSupport.person;
import static kh.dds.replica.ReplicaTestSupport.publish;
import static kh.dds.replica.ReplicaTestSupport.publishBytes;
import static kh.dds.replica.ReplicaTestSupport.publishTogether;
import static kh.dds.replica.ReplicaTestSupport.readAll;
import static kh.dds.replica.ReplicaTestSupport.readAllBytes;
import static kh.dds.replica.ReplicaTestSupport.version;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.replica.RegistryEvents;
import kh.dds.replica.ReplicaTestSupport;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A registry stream with poisoned events in it (issue 9: no request can stop the service): every poisoned event is on
 * the dead-letter topic with its reason, every other event is applied once, the replica catches up and stays up.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = "dds_replica_test"),
        @ResourceArg(name = "topics", value = ReplicaTestSupport.TOPICS)})
class PoisonedStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    AgroalDataSource db;

    /** A poisoned record as published, and the reason its dead letter must carry. */
    record Poison(String what, byte[] value, RecordMetadata at, String reason) {
    }

    @Test
    void everyPoisonedEventIsDeadLetteredWithItsReasonAndTheRestApplied() {
        Map<String, Long> expectedVersions = new LinkedHashMap<>();
        List<String> withRecord = new ArrayList<>();
        List<Poison> poisons = new ArrayList<>();
        List<String> correctedLater = new ArrayList<>();

        for (int round = 0; round < 3; round++) {
            List<RegistryEvent> healthy = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String kidc = RegistryEvents.newKidc();
                healthy.add(RegistryEvents.registered(kidc));
                healthy.add(RegistryEvents.nameChanged(kidc, 2, "CHAN"));
                expectedVersions.put(kidc, 2L);
                withRecord.add(kidc);
            }
            publishTogether(healthy);

            poisons.add(registration("a NUL in a name", "\"SOK\"", "\"SO\\u0000K\"",
                    "payload.familyNameLatin: contains a control character", correctedLater));
            poisons.add(registration("a megabyte name", "\"SOK\"", "\"" + "A".repeat(1_000_000) + "\"",
                    "payload.familyNameLatin: longer than 200 characters", correctedLater));
            poisons.add(registration("a number for a name", "\"SOK\"", "42",
                    "payload.familyNameLatin: must be a string", correctedLater));
            poisons.add(registration("an unpaired surrogate", "\"SOK\"", "\"SO\\uD800K\"",
                    "payload.familyNameLatin: contains an unpaired surrogate", correctedLater));
            poisons.add(registration("a control character in a document number", "\"010203040\"",
                    "\"0102\\u001f03040\"", "payload.documents[0].number: contains a control character",
                    correctedLater));
            poisons.add(registration("a string for the sequence", "\"sequence\":1", "\"sequence\":\"1\"",
                    "sequence: must be a whole number from 1 to 2147483647", null));

            String kidc = RegistryEvents.newKidc();
            byte[] utf8 = RegistryEvents.json(RegistryEvents.registered(kidc)).getBytes(StandardCharsets.UTF_8);
            byte[] broken = new String(utf8, StandardCharsets.ISO_8859_1).replace("\"SOK\"", "\"S\u00C3(K\"")
                    .getBytes(StandardCharsets.ISO_8859_1);
            poisons.add(new Poison("bytes that are not UTF-8", broken, publishBytes(kidc, broken),
                    "not JSON: not UTF-8"));

            kidc = RegistryEvents.newKidc();
            String deep = RegistryEvents.json(RegistryEvents.registered(kidc)).replace("\"payload\":{",
                    "\"payload\":{\"extra\":" + "[".repeat(5000) + "]".repeat(5000) + ",");
            poisons.add(raw("nesting 5000 deep", kidc, deep, "not JSON: nested deeper than 16 levels"));
            poisons.add(raw("no JSON at all", RegistryEvents.newKidc(), "<person>SOK</person>", "not JSON"));
            if (round == 0) {
                // incompressible, and so near the broker's limit that with its headers it cannot be dead-lettered whole
                byte[] noise = new byte[1_048_400];
                new java.util.Random(round).nextBytes(noise);
                noise[0] = (byte) 0xFF;
                poisons.add(new Poison("a megabyte of noise", noise, publishBytes(RegistryEvents.newKidc(), noise),
                        "not JSON: not UTF-8"));
            }
            poisons.add(new Poison("an empty record", new byte[0], publishBytes(RegistryEvents.newKidc(), new byte[0]),
                    "empty record"));

            kidc = RegistryEvents.newKidc();
            poisons.add(raw("a key that is not the event's KIdC", RegistryEvents.newKidc(),
                    RegistryEvents.json(RegistryEvents.registered(kidc)), "record key: must be the event's kidc"));
            correctedLater.add(kidc);

            kidc = RegistryEvents.newKidc();
            publish(RegistryEvents.registered(kidc));
            poisons.add(raw("a date of death in the year 9999", kidc,
                    RegistryEvents.json(RegistryEvents.deceased(kidc, 2, LocalDate.of(2026, 1, 2)))
                            .replace("2026-01-02", "9999-12-31"),
                    "payload.dateOfDeath: must be in the years 1800-2999"));
            publish(RegistryEvents.nameChanged(kidc, 3, "KEO"));
            expectedVersions.put(kidc, 3L);
            withRecord.add(kidc);
        }
        // each person whose poisoned registration took its turn is corrected by the registry afterwards
        List<RegistryEvent> corrections = new ArrayList<>();
        for (String kidc : correctedLater) {
            corrections.add(RegistryEvents.event(EventType.PersonCorrected, kidc, 2, RegistryEvents.record("SOK", "DARA")));
            expectedVersions.put(kidc, 2L);
            withRecord.add(kidc);
        }
        publishTogether(corrections);

        await().atMost(WAIT).until(() -> expectedVersions.entrySet().stream()
                .allMatch(e -> version(db, e.getKey()) == e.getValue()));
        for (String kidc : withRecord) {
            Map<String, Object> row = person(db, kidc);
            assertEquals(true, row.get("hasRecord"), kidc);
            assertEquals("ACTIVE", row.get("status"), kidc);
        }

        await().atMost(WAIT).until(() -> {
            List<ConsumerRecord<String, byte[]>> letters = readAllBytes(Topics.PERSON_EVENTS_DLQ);
            return poisons.stream().allMatch(p -> letterOf(p, letters).isPresent());
        });
        List<ConsumerRecord<String, byte[]>> letters = readAllBytes(Topics.PERSON_EVENTS_DLQ);
        assertTrue(letters.stream().anyMatch(r -> header(r, ReplicaPublisher.CUT_FROM) != null),
                "the megabyte of noise could only be dead-lettered cut");
        for (Poison poison : poisons) {
            ConsumerRecord<String, byte[]> letter = letterOf(poison, letters).orElseThrow();
            assertEquals(poison.reason(), header(letter), poison.what());
            String cutFrom = header(letter, ReplicaPublisher.CUT_FROM);
            if (poison.value().length > 1_000_000 && cutFrom != null) {
                assertEquals(String.valueOf(poison.value().length), cutFrom);
                assertArrayEquals(java.util.Arrays.copyOf(poison.value(), ReplicaPublisher.CUT_TO), letter.value(),
                        poison.what() + ": the dead letter is the beginning of what arrived");
            } else {
                assertArrayEquals(poison.value(), letter.value(), poison.what() + ": the dead letter is what arrived");
            }
        }

        await().atMost(WAIT).untilAsserted(() -> given().get("/v1/replica/status").then().statusCode(200)
                .body("lagEvents", is(0)));
        given().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    /**
     * Defence in depth: events that pass validation but that the database refuses (here, a constraint added for the
     * test) are isolated within their batch and dead-lettered with the database's reason; every other event of the
     * batch is applied exactly once, and the refused event's person goes on from it, held events included.
     */
    @Test
    void anEventTheDatabaseRefusesIsIsolatedAndDeadLetteredAndNothingElseIsLostOrAppliedTwice() {
        sql("ALTER TABLE replica.person ADD CONSTRAINT refused_for_test "
                + "CHECK (record->>'familyNameLatin' IS DISTINCT FROM 'REFUSED')");
        try {
            long duplicatesBefore = counter(db, "duplicates");
            long appliedBefore = counter(db, "applied");
            String inTurn = RegistryEvents.newKidc();
            String behindGap = RegistryEvents.newKidc();
            List<RegistryEvent> events = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String kidc = RegistryEvents.newKidc();
                events.add(RegistryEvents.registered(kidc));
                others.add(kidc);
                if (i == 40) {
                    // each refused change is its person's last event for now, so the refused record is what the
                    // batch would write
                    events.add(RegistryEvents.registered(inTurn));
                    events.add(RegistryEvents.nameChanged(inTurn, 2, "REFUSED"));
                    events.add(RegistryEvents.registered(behindGap));
                    events.add(RegistryEvents.nameChanged(behindGap, 3, "REFUSED"));
                }
            }
            publishTogether(events);
            await().atMost(WAIT).until(() -> others.stream().allMatch(k -> version(db, k) == 1)
                    && version(db, inTurn) == 2 && version(db, behindGap) == 1);
            // the gap fills: the held event is refused in its turn, after the one that filled the gap applied
            publish(RegistryEvents.addressChanged(behindGap, 2, "02"));
            await().atMost(WAIT).until(() -> version(db, behindGap) == 3);
            // both persons go on from the refused events
            publish(RegistryEvents.nameChanged(inTurn, 3, "KEO"), RegistryEvents.nameChanged(behindGap, 4, "LY"));
            await().atMost(WAIT).until(() -> version(db, inTurn) == 3 && version(db, behindGap) == 4);

            assertEquals("KEO", person(db, inTurn).get("family"));
            Map<String, Object> row = person(db, behindGap);
            assertEquals("LY", row.get("family"));
            assertEquals("02", row.get("province"));
            List<ConsumerRecord<String, String>> letters = readAll(Topics.PERSON_EVENTS_DLQ).stream()
                    .filter(r -> inTurn.equals(r.key()) || behindGap.equals(r.key()) || others.contains(r.key()))
                    .toList();
            assertEquals(2, letters.size(), "only the two refused events are dead-lettered");
            for (ConsumerRecord<String, String> letter : letters) {
                assertTrue(letter.value().contains("REFUSED"));
                String reason = ReplicaTestSupport.header(letter, ReplicaPublisher.REASON);
                assertTrue(reason.startsWith("the database refused it: ") && reason.endsWith("(SQLSTATE 23514)"),
                        reason);
            }
            assertEquals(duplicatesBefore, counter(db, "duplicates"), "nothing was applied twice");
            // 100 registrations, inTurn 1 and 3, behindGap 1, 2 and 4
            assertEquals(appliedBefore + 105, counter(db, "applied"));
            assertFalse(others.stream().anyMatch(k -> !"SOK".equals(person(db, k).get("family"))));
            await().atMost(WAIT).untilAsserted(() -> given().get("/v1/replica/status").then().statusCode(200)
                    .body("lagEvents", is(0)));
            given().get("/q/health").then().statusCode(200).body("status", is("UP"));
        } finally {
            sql("ALTER TABLE replica.person DROP CONSTRAINT refused_for_test");
        }
    }

    private Poison registration(String what, String find, String replacement, String reason,
                                List<String> placedKidcs) {
        String kidc = RegistryEvents.newKidc();
        String json = RegistryEvents.json(RegistryEvents.registered(kidc));
        assertTrue(json.contains(find), json);
        if (placedKidcs != null) {
            placedKidcs.add(kidc);
        }
        return raw(what, kidc, json.replace(find, replacement), reason);
    }

    private static Poison raw(String what, String key, String value, String reason) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new Poison(what, bytes, publishBytes(key, bytes), reason);
    }

    private static Optional<ConsumerRecord<String, byte[]>> letterOf(Poison poison,
                                                                    List<ConsumerRecord<String, byte[]>> letters) {
        return letters.stream()
                .filter(r -> String.valueOf(poison.at().partition()).equals(header(r, ReplicaPublisher.SOURCE_PARTITION))
                        && String.valueOf(poison.at().offset()).equals(header(r, ReplicaPublisher.SOURCE_OFFSET)))
                .findFirst();
    }

    private static String header(ConsumerRecord<String, byte[]> record) {
        return header(record, ReplicaPublisher.REASON);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void sql(String statement) {
        try (Connection connection = db.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
