package kh.dds.replica.statistics;

import static kh.dds.replica.ReplicaTestSupport.publishTogether;
import static kh.dds.replica.ReplicaTestSupport.version;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.replica.RegistryEvents;
import kh.dds.replica.ReplicaTestSupport;
import kh.dds.schema.event.Address;
import kh.dds.schema.event.EventPayload;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.Place;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.statistics.PopulationHistory;
import kh.dds.schema.time.PhnomPenh;
import org.junit.jupiter.api.Test;

/**
 * The population history on past days, through the real stream: births (registrations), deaths, moves, merges,
 * corrections and civil status changes each counted from their own day, several changes of one day leaving the last,
 * and the daily aggregates built from the history giving the same counts.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = "dds_replica_test"),
        @ResourceArg(name = "topics", value = ReplicaTestSupport.TOPICS)})
class PopulationHistoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final LocalDate D1 = LocalDate.of(2026, 11, 25);

    @Inject
    AgroalDataSource db;

    @Inject
    PopulationDays days;

    @Test
    void everyLifeEventIsCountedFromItsOwnDayAndTheDailyAggregatesAgree() throws SQLException {
        // a district no other test uses, so that the aggregates can be compared whatever else the database holds
        String district = "12" + (50 + new Random().nextInt(50));
        String moved = "08" + district.substring(2);
        String a = RegistryEvents.newKidc();
        String b = RegistryEvents.newKidc();
        String c = RegistryEvents.newKidc();
        String d = RegistryEvents.newKidc();
        String e = RegistryEvents.newKidc();
        List<RegistryEvent> events = new ArrayList<>();
        events.add(event(EventType.PersonRegistered, a, 1, 0, record("M", "12", district, "SINGLE")));
        events.add(event(EventType.PersonRegistered, b, 1, 0, record("F", "12", district, "MARRIED")));
        events.add(event(EventType.PersonRegistered, c, 1, 0, record("M", "12", district, "SINGLE")));
        events.add(event(EventType.PersonRegistered, d, 1, 1, record("F", "12", district, "SINGLE")));
        // registered and moved on the same day: counted at the new address from that day on
        events.add(event(EventType.PersonRegistered, e, 1, 1, record("F", "12", district, "SINGLE")));
        events.add(event(EventType.AddressChanged, e, 2, 1, new EventPayload.AddressChange(
                new Address("08", moved, null, null))));
        // a move
        events.add(event(EventType.AddressChanged, a, 2, 2, new EventPayload.AddressChange(
                new Address("08", moved, null, null))));
        // a merge: C is retired in favour of A
        events.add(event(EventType.PersonMerged, c, 2, 3, new EventPayload.Merge(a)));
        // a marriage
        events.add(event(EventType.CivilStatusChanged, d, 2, 3, new EventPayload.CivilStatusChange("MARRIED")));
        // a death
        events.add(event(EventType.PersonDeceased, b, 2, 4, new EventPayload.Death(D1.plusDays(4))));
        // a correction: A's sex was recorded wrongly
        events.add(event(EventType.PersonCorrected, a, 3, 5, record("F", "08", moved, "SINGLE")));
        publishTogether(events);
        await().atMost(WAIT).until(() -> version(db, a) == 3 && version(db, b) == 2 && version(db, c) == 2
                && version(db, d) == 2 && version(db, e) == 2);
        List<String> all = List.of(a, b, c, d, e);

        assertEquals(Map.of(), count(all, D1.minusDays(1), "province"), "nobody before their registration");
        assertEquals(Map.of("12", 3L), count(all, D1, "province"));
        assertEquals(Map.of("12", 4L, "08", 1L), count(all, D1.plusDays(1), "province"),
                "registered and moved the same day: counted at the new address only");
        assertEquals(Map.of("12", 3L, "08", 2L), count(all, D1.plusDays(2), "province"), "A moved");
        assertEquals(Map.of("12", 2L, "08", 2L), count(all, D1.plusDays(3), "province"), "C merged away");
        assertEquals(Map.of("MARRIED", 2L, "SINGLE", 2L), count(all, D1.plusDays(3), "marital_status"),
                "D married");
        assertEquals(Map.of("12", 1L, "08", 2L), count(all, D1.plusDays(4), "province"), "B died");
        assertEquals(Map.of("M", 1L, "F", 2L), count(all, D1.plusDays(4), "sex"));
        assertEquals(Map.of("F", 3L), count(all, D1.plusDays(5), "sex"), "A's sex corrected");
        assertEquals(Map.of("F", 3L), count(all, PhnomPenh.today(), "sex"), "and so it stays");

        // the daily aggregates, built from the history, give the same counts in the same cells
        while (days.build(400) > 0) {
            // until every closed day is built
        }
        for (int i = 0; i <= 5; i++) {
            LocalDate day = D1.plusDays(i);
            assertEquals(aggregated(district, moved, day, false), aggregated(district, moved, day, true),
                    "population_day and person_history agree on " + day);
        }
        // A, born 1990-05-17, is in the band 35-39 on these days
        Map<String, Long> bands = aggregated(district, moved, D1.plusDays(5), true);
        assertTrue(bands.keySet().stream().allMatch(key -> key.endsWith("|7")), bands.toString());
    }

    @Test
    void aLateEventMarksItsClosedDayStaleAndTheBuilderRebuildsIt() throws SQLException {
        String district = "12" + (50 + new Random().nextInt(50));
        while (days.build(400) > 0) {
            // every closed day built
        }
        String late = RegistryEvents.newKidc();
        String stateVersion = stateVersion();
        publishTogether(List.of(event(EventType.PersonRegistered, late, 1, 2, record("M", "12", district, "SINGLE"))));
        await().atMost(WAIT).until(() -> version(db, late) == 1);
        assertTrue(staleMarks() > 0, "the batch marked the day it changed");
        // the API's aggregate of today is tied to this version: a batch that writes the history must change it
        assertNotEquals(stateVersion, stateVersion(), "the batch updated replica_state");
        String built = stateVersion();
        while (days.build(400) > 0) {
            // rebuilt
        }
        assertEquals(built, stateVersion(), "building aggregates writes no history: the version stays");
        assertEquals(0, staleMarks());
        assertEquals(Map.of("12" + "|" + district + "|7", 1L), aggregated(district, district, D1.plusDays(2), true));
    }

    private static RegistryEvent event(EventType type, String kidc, long sequence, int day, EventPayload payload) {
        // 10:00 in Phnom Penh
        Instant at = PhnomPenh.startOf(D1.plusDays(day)).plusSeconds(10 * 3600 + sequence);
        return new RegistryEvent(UUID.randomUUID().toString(), type, kidc, sequence, at, payload);
    }

    private static PersonRecord record(String sex, String province, String district, String marital) {
        return new PersonRecord("សុខ", "ដារ៉ា", "SOK", "DARA", sex, "1990-05-17",
                new Place("12", "1201", "120101"), "KHM", "KHM", marital, List.of(), List.of(),
                new Address(province, district, null, null), List.of());
    }

    private Map<String, Long> count(List<String> kidcs, LocalDate day, String column) throws SQLException {
        try (Connection connection = db.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + column + ", count(*)"
                     + " FROM replica.person_history WHERE kidc = ANY(?) AND valid_from <= ?"
                     + " AND (valid_to IS NULL OR valid_to > ?) GROUP BY 1")) {
            query.setArray(1, connection.createArrayOf("text", kidcs.toArray()));
            query.setObject(2, day);
            query.setObject(3, day);
            Map<String, Long> counts = new TreeMap<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1).trim(), rs.getLong(2));
                }
            }
            return counts;
        }
    }

    private Map<String, Long> aggregated(String district, String moved, LocalDate day, boolean fromDays)
            throws SQLException {
        String sql = fromDays
                ? "SELECT province || '|' || district || '|' || age_band, sum(persons) FROM replica.population_day"
                        + " WHERE district IN (?, ?) AND day = ? GROUP BY 1"
                : "SELECT province || '|' || district || '|' || " + PopulationHistory.ageBandSql(
                        String.valueOf(PopulationHistory.ymd(day))) + ", count(*) FROM replica.person_history"
                        + " WHERE district IN (?, ?) AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
                        + " GROUP BY 1";
        try (Connection connection = db.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, district);
            query.setString(2, moved);
            query.setObject(3, day);
            if (!fromDays) {
                query.setObject(4, day);
            }
            Map<String, Long> counts = new TreeMap<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        }
    }

    /** replica_state's row version (its xmin): the data version the API's aggregate of today is tied to. */
    private String stateVersion() throws SQLException {
        try (Connection connection = db.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT xmin::text FROM replica.replica_state WHERE id = 1");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long staleMarks() throws SQLException {
        try (Connection connection = db.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM replica.population_day_stale WHERE day < current_date");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
