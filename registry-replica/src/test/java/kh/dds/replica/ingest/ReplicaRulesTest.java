package kh.dds.replica.ingest;

import static io.restassured.RestAssured.given;
import static kh.dds.replica.ReplicaTestSupport.counter;
import static kh.dds.replica.ReplicaTestSupport.header;
import static kh.dds.replica.ReplicaTestSupport.heldNow;
import static kh.dds.replica.ReplicaTestSupport.person;
import static kh.dds.replica.ReplicaTestSupport.publish;
import static kh.dds.replica.ReplicaTestSupport.publishRaw;
import static kh.dds.replica.ReplicaTestSupport.readAll;
import static kh.dds.replica.ReplicaTestSupport.version;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.replica.RegistryEvents;
import kh.dds.replica.ReplicaTestSupport;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Each replica rule of SPEC §3 against a real broker and a real database. */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = "dds_replica_test"),
        @ResourceArg(name = "topics", value = ReplicaTestSupport.TOPICS)})
class ReplicaRulesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource db;

    @Test
    void aDuplicateIsIgnoredAndCounted() {
        String kidc = RegistryEvents.newKidc();
        long duplicatesBefore = counter(db, "duplicates");
        var registered = RegistryEvents.registered(kidc);
        publish(registered, RegistryEvents.nameChanged(kidc, 2, "CHAN"), registered);
        await().atMost(WAIT).until(() -> counter(db, "duplicates") == duplicatesBefore + 1);
        Map<String, Object> row = person(db, kidc);
        assertEquals(2L, row.get("version"));
        assertEquals("CHAN", row.get("family"), "the duplicate registration did not overwrite the later name change");
    }

    @Test
    void anOutOfOrderPairIsAppliedInSequence() {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.nameChanged(kidc, 2, "KEO"), RegistryEvents.registered(kidc));
        await().atMost(WAIT).until(() -> version(db, kidc) == 2);
        assertEquals("KEO", person(db, kidc).get("family"));
        await().atMost(WAIT).until(() -> heldNow(db) == 0);
    }

    @Test
    void anEventAheadOfAGapIsHeldAndReportedUntilTheGapFills() {
        String kidc = RegistryEvents.newKidc();
        long heldEver = counter(db, "held");
        publish(RegistryEvents.registered(kidc), RegistryEvents.nameChanged(kidc, 3, "MEAS"));
        await().atMost(WAIT).until(() -> counter(db, "held") == heldEver + 1);
        assertEquals(1L, version(db, kidc));
        given().get("/v1/replica/status").then().statusCode(200)
                .body("held", greaterThanOrEqualTo(1))
                .body("heldOldestSince", org.hamcrest.Matchers.notNullValue());

        publish(RegistryEvents.addressChanged(kidc, 2, "02"));
        await().atMost(WAIT).until(() -> version(db, kidc) == 3);
        Map<String, Object> row = person(db, kidc);
        assertEquals("MEAS", row.get("family"));
        assertEquals("02", row.get("province"));
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndTheStreamGoesOn() {
        String garbled = RegistryEvents.newKidc();
        String incomplete = RegistryEvents.newKidc();
        String healthy = RegistryEvents.newKidc();
        publishRaw(garbled, "{ this is not json " + garbled);
        String withoutSex = RegistryEvents.json(RegistryEvents.registered(incomplete)).replace("\"sex\":\"M\",", "");
        publishRaw(incomplete, withoutSex);
        publish(RegistryEvents.registered(healthy));

        await().atMost(WAIT).until(() -> version(db, healthy) == 1);
        await().atMost(WAIT).until(() -> readAll(Topics.PERSON_EVENTS_DLQ).stream()
                .filter(r -> r.value().contains(garbled) || r.value().contains(incomplete)).count() == 2);
        List<ConsumerRecord<String, String>> letters = readAll(Topics.PERSON_EVENTS_DLQ);
        ConsumerRecord<String, String> notJson = letters.stream().filter(r -> r.value().contains(garbled)).findFirst()
                .orElseThrow();
        assertEquals("not JSON", header(notJson, "dead-letter-reason"));
        assertEquals(Topics.PERSON_EVENTS, header(notJson, "dead-letter-topic"));
        ConsumerRecord<String, String> missing = letters.stream().filter(r -> r.value().contains(incomplete))
                .findFirst().orElseThrow();
        assertEquals("payload.sex: missing", header(missing, "dead-letter-reason"));
        assertEquals(withoutSex, missing.value(), "the dead letter carries the event exactly as it arrived");

        // the malformed registration took its turn: the person is unknown to readers until a correction arrives
        Map<String, Object> placeholder = person(db, incomplete);
        assertEquals(1L, placeholder.get("version"));
        assertFalse((Boolean) placeholder.get("hasRecord"));
        publish(RegistryEvents.event(EventType.PersonCorrected, incomplete, 2, RegistryEvents.record("SOK", "DARA")));
        await().atMost(WAIT).until(() -> version(db, incomplete) == 2);
        assertEquals("ACTIVE", person(db, incomplete).get("status"));
    }

    @Test
    void aDeceasedPersonKeepsTheirRecordAndRefusesLifeEvents() {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(kidc), RegistryEvents.deceased(kidc, 2, LocalDate.of(2026, 1, 2)),
                RegistryEvents.addressChanged(kidc, 3, "05"), RegistryEvents.documentRevoked(kidc, 4, "010203040"));
        await().atMost(WAIT).until(() -> version(db, kidc) == 4);
        Map<String, Object> row = person(db, kidc);
        assertEquals("DECEASED", row.get("status"));
        assertEquals(LocalDate.of(2026, 1, 2), row.get("dateOfDeath"));
        assertEquals("12", row.get("province"), "the address change after death was refused");
        await().atMost(WAIT).until(() -> readAll(Topics.PERSON_EVENTS_DLQ).stream()
                .anyMatch(r -> kidc.equals(r.key()) && header(r, "dead-letter-reason").contains("deceased")));
    }

    @Test
    void aMergedKidcIsRetiredInFavourOfItsSurvivor() {
        String duplicate = RegistryEvents.newKidc();
        String survivor = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(survivor), RegistryEvents.registered(duplicate),
                RegistryEvents.merged(duplicate, 2, survivor), RegistryEvents.nameChanged(duplicate, 3, "LY"));
        await().atMost(WAIT).until(() -> version(db, duplicate) == 3);
        // the two persons' events may travel on different partitions: the survivor's registration is awaited too
        await().atMost(WAIT).until(() -> version(db, survivor) == 1);
        Map<String, Object> row = person(db, duplicate);
        assertEquals("RETIRED", row.get("status"));
        assertEquals(survivor, row.get("survivor"));
        assertEquals("SOK", row.get("family"));
        assertEquals("ACTIVE", person(db, survivor).get("status"));
        await().atMost(WAIT).until(() -> readAll(Topics.PERSON_EVENTS_DLQ).stream()
                .anyMatch(r -> duplicate.equals(r.key()) && header(r, "dead-letter-reason").contains("retired")));
    }

    @Test
    void everyAppliedChangeIsSignalled() {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(kidc), RegistryEvents.nameChanged(kidc, 2, "HENG"));
        await().atMost(WAIT).until(() -> readAll(Topics.PERSON_CHANGES).stream()
                .anyMatch(r -> kidc.equals(r.key()) && ReplicaTestSupport.json(r.value()).get("version").asLong() == 2));
        var signal = readAll(Topics.PERSON_CHANGES).stream().filter(r -> kidc.equals(r.key()))
                .reduce((first, second) -> second).orElseThrow();
        var change = ReplicaTestSupport.json(signal.value());
        assertEquals("ACTIVE", change.get("status").asText());
        assertTrue(change.has("dataAsOf"));
        assertNull(change.get("record"), "the signal carries no personal data");
    }

    @Test
    void statusAndMetricsShowCountsAndLag() {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(kidc));
        await().atMost(WAIT).until(() -> version(db, kidc) == 1);
        await().atMost(WAIT).untilAsserted(() -> given().get("/v1/replica/status").then().statusCode(200)
                .body("lagEvents", org.hamcrest.Matchers.is(0))
                .body("applied", greaterThanOrEqualTo(1))
                .body("persons", greaterThanOrEqualTo(1))
                .body("lastEventAt", org.hamcrest.Matchers.notNullValue())
                .body("lagMeasuredAt", org.hamcrest.Matchers.notNullValue()));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("replica_events_total{outcome=\"applied\""))
                .body(containsString("replica_lag_events"))
                .body(containsString("replica_lag_seconds"))
                .body(containsString("replica_held_events"));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
