package kh.dds.replica.ingest;

import static kh.dds.replica.ReplicaTestSupport.publish;
import static kh.dds.replica.ReplicaTestSupport.readAll;
import static kh.dds.replica.ReplicaTestSupport.version;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.replica.RegistryEvents;
import kh.dds.replica.ReplicaTestSupport;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.LifeEventType;
import kh.dds.schema.event.Topics;
import org.junit.jupiter.api.Test;

/** The replica's typed life events, derived from the real event stream and published through its outbox. */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = "dds_replica_test"),
        @ResourceArg(name = "topics", value = ReplicaTestSupport.TOPICS)})
class LifeEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource db;

    @Test
    void aDeathIsPublishedAsDeceasedWithoutPersonalData() throws Exception {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(kidc), RegistryEvents.deceased(kidc, 2, LocalDate.of(2026, 1, 2)));
        List<JsonNode> events = lifeEventsOf(kidc, 1);
        JsonNode death = events.get(0);
        assertEquals("DECEASED", death.get("type").asText());
        assertEquals(2, death.get("sequence").asLong());
        assertEquals(LifeEvent.idOf(kidc, 2, LifeEventType.DECEASED).toString(), death.get("eventId").asText());
        assertEquals("2026-11-23T08:00:02Z", death.get("occurredAt").asText());
        assertEquals("2026-11-23T08:00:02Z", death.get("dataAsOf").asText());
        Set<String> fields = fieldNames(death);
        assertEquals(Set.of("eventId", "kidc", "sequence", "type", "occurredAt", "dataAsOf"), fields,
                "a life event carries no registry value (no date of death, no name)");
        assertEquals(0, outboxRows(kidc), "published rows leave the outbox");
    }

    @Test
    void aMergeIsPublishedAsRetiredWithItsSurvivor() throws Exception {
        String duplicate = RegistryEvents.newKidc();
        String survivor = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(survivor), RegistryEvents.registered(duplicate),
                RegistryEvents.merged(duplicate, 2, survivor));
        JsonNode retired = lifeEventsOf(duplicate, 1).get(0);
        assertEquals("RETIRED", retired.get("type").asText());
        assertEquals(survivor, retired.get("survivorKidc").asText());
    }

    @Test
    void aNameChangeAndACorrectedNameArePublishedButACorrectionOfTheSameNameIsNot() throws Exception {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(kidc), RegistryEvents.nameChanged(kidc, 2, "HENG"),
                RegistryEvents.addressChanged(kidc, 3, "05"),
                RegistryEvents.event(EventType.PersonCorrected, kidc, 4, RegistryEvents.record("HENG", "DARA")),
                RegistryEvents.event(EventType.PersonCorrected, kidc, 5, RegistryEvents.record("LY", "DARA")));
        await().atMost(WAIT).until(() -> version(db, kidc) == 5);
        List<JsonNode> events = lifeEventsOf(kidc, 2);
        assertEquals(List.of("NAME_CHANGED:2", "NAME_CHANGED:5"), events.stream()
                .map(e -> e.get("type").asText() + ":" + e.get("sequence").asLong()).toList(),
                "an address change and a correction that keeps the name are no life event");
    }

    @Test
    void manyNameChangesOfManyPersonsInBigBatchesAreEachPublished() throws Exception {
        int persons = 300;
        int changes = 5;
        List<String> kidcs = new java.util.ArrayList<>();
        List<kh.dds.schema.event.RegistryEvent> registrations = new java.util.ArrayList<>();
        for (int p = 0; p < persons; p++) {
            String kidc = RegistryEvents.newKidc();
            kidcs.add(kidc);
            registrations.add(RegistryEvents.registered(kidc));
        }
        ReplicaTestSupport.publishTogether(registrations);
        List<kh.dds.schema.event.RegistryEvent> renames = new java.util.ArrayList<>();
        for (int sequence = 2; sequence <= changes + 1; sequence++) {
            for (String kidc : kidcs) {
                renames.add(RegistryEvents.nameChanged(kidc, sequence, "NAME" + sequence));
            }
        }
        ReplicaTestSupport.publishTogether(renames);
        String last = kidcs.get(persons - 1);
        await().atMost(WAIT).until(() -> kidcs.stream().allMatch(k -> version(db, k) == changes + 1));
        Set<String> ours = Set.copyOf(kidcs);
        await().atMost(WAIT).until(() -> readAll(Topics.PERSON_NOTIFICATIONS).stream()
                .filter(r -> ours.contains(r.key())).count() >= (long) persons * changes);
        Thread.sleep(1_000);
        List<JsonNode> published = readAll(Topics.PERSON_NOTIFICATIONS).stream().filter(r -> ours.contains(r.key()))
                .map(r -> ReplicaTestSupport.json(r.value())).toList();
        assertEquals((long) persons * changes, published.stream()
                .filter(e -> "NAME_CHANGED".equals(e.get("type").asText())).count(), "one NAME_CHANGED a name change");
        assertEquals(changes, lifeEvents(last).size());
    }

    @Test
    void aRevokedDocumentIsPublishedEvenAfterDeathInSequenceOrder() throws Exception {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(kidc), RegistryEvents.deceased(kidc, 2, LocalDate.of(2026, 1, 2)),
                RegistryEvents.documentRevoked(kidc, 3, "010203040"));
        List<JsonNode> events = lifeEventsOf(kidc, 2);
        assertEquals(List.of("DECEASED", "DOCUMENT_REVOKED"), events.stream().map(e -> e.get("type").asText()).toList());
    }

    @Test
    void aRefusedOrDuplicateEventIsNoLifeEvent() throws Exception {
        String kidc = RegistryEvents.newKidc();
        var death = RegistryEvents.deceased(kidc, 2, LocalDate.of(2026, 1, 2));
        publish(RegistryEvents.registered(kidc), death, death,
                RegistryEvents.documentRevoked(kidc, 3, "999999999"), RegistryEvents.nameChanged(kidc, 4, "HENG"));
        await().atMost(WAIT).until(() -> version(db, kidc) == 4);
        // the DLQ has the revocation of a document not held and the name change after death
        List<JsonNode> events = lifeEventsOf(kidc, 1);
        assertEquals("DECEASED", events.get(0).get("type").asText());
        Thread.sleep(1_000);
        assertEquals(1, lifeEvents(kidc).size(), "the duplicate death and the refused events published nothing");
    }

    @Test
    void whatACrashLeftInTheOutboxIsPublishedByTheSweep() throws Exception {
        String kidc = RegistryEvents.newKidc();
        LifeEvent left = LifeEvent.of(kidc, 7, LifeEventType.DECEASED, Instant.parse("2026-11-23T08:00:07Z"),
                Instant.parse("2026-11-23T08:00:07Z"), null);
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO replica.life_event_outbox (event_id, kidc, sequence, type, occurred_at, data_as_of,
                                                       created_at)
                VALUES (?, ?, 7, 'DECEASED', ?, ?, now() - interval '1 minute')""")) {
            insert.setObject(1, left.eventId());
            insert.setString(2, kidc);
            insert.setTimestamp(3, Timestamp.from(left.occurredAt()));
            insert.setTimestamp(4, Timestamp.from(left.dataAsOf()));
            insert.executeUpdate();
        }
        JsonNode published = lifeEventsOf(kidc, 1).get(0);
        assertEquals(left.eventId().toString(), published.get("eventId").asText());
        await().atMost(WAIT).until(() -> outboxRows(kidc) == 0);
        assertFalse(published.has("survivorKidc") && !published.get("survivorKidc").isNull());
    }

    private List<JsonNode> lifeEventsOf(String kidc, int atLeast) {
        await().atMost(WAIT).until(() -> lifeEvents(kidc).size() >= atLeast);
        List<JsonNode> events = lifeEvents(kidc);
        assertEquals(atLeast, events.size(), "no more life events than expected: " + events);
        return events;
    }

    private static List<JsonNode> lifeEvents(String kidc) {
        return readAll(Topics.PERSON_NOTIFICATIONS).stream().filter(r -> kidc.equals(r.key()))
                .map(r -> ReplicaTestSupport.json(r.value())).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!node.get(name).isNull()) {
                names.add(name);
            }
        });
        return names;
    }

    private long outboxRows(String kidc) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM replica.life_event_outbox WHERE kidc = ?")) {
            count.setString(1, kidc);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
