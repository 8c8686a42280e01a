package kh.dds.replica.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import kh.dds.schema.time.PhnomPenh;

/**
 * The population history of a snapshot load, written in the load's transaction: each person the snapshot set gets a
 * period from the Phnom Penh day of their last event (never before their history's last start, so that periods
 * never overlap), unless their open period already has the same profile; an open period the snapshot overrides ends
 * that day. A snapshot carries no history of its own, so the history begins (if it has not yet) on the day of the
 * snapshot's latest event: no earlier day can be answered.
 */
final class SnapshotHistory {

    private static final String SYNC = """
            CREATE TEMP TABLE history_sync ON COMMIT DROP AS
            SELECT p.kidc,
                   greatest((p.last_event_at AT TIME ZONE 'Asia/Phnom_Penh')::date,
                            coalesce((SELECT max(h.valid_from) FROM replica.person_history h WHERE h.kidc = p.kidc),
                                     '-infinity'::date)) AS d,
                   p.status = 'ACTIVE' AND p.record IS NOT NULL AS active,
                   p.address_province AS province, p.record -> 'address' ->> 'district' AS district, p.sex,
                   to_char(p.birth_date, 'YYYYMMDD')::int AS birth_ymd, p.record ->> 'maritalStatus' AS marital_status,
                   p.record ->> 'citizenship' AS citizenship, p.record_key
            FROM replica.person p""";

    private static final String[] APPLY = {
            // an open period with the same profile goes on as it is
            """
            DELETE FROM history_sync s USING replica.person_history h
            WHERE h.kidc = s.kidc AND h.valid_to IS NULL AND s.active
              AND (h.province, h.district, h.sex, h.birth_ymd, h.marital_status, h.citizenship, h.record_key)
                  IS NOT DISTINCT FROM (s.province, s.district, s.sex, s.birth_ymd, s.marital_status, s.citizenship,
                                        s.record_key)""",
            """
            DELETE FROM replica.person_history h USING history_sync s
            WHERE h.kidc = s.kidc AND h.valid_to IS NULL AND h.valid_from >= s.d""",
            """
            UPDATE replica.person_history h SET valid_to = s.d FROM history_sync s
            WHERE h.kidc = s.kidc AND h.valid_to IS NULL""",
            """
            INSERT INTO replica.person_history (kidc, valid_from, valid_to, province, district, sex, birth_ymd,
                                                marital_status, citizenship, record_key)
            SELECT kidc, d, NULL, province, district, sex, birth_ymd, marital_status, citizenship, record_key
            FROM history_sync WHERE active""",
            "INSERT INTO replica.population_day_stale (day) SELECT min(d) FROM history_sync HAVING min(d) IS NOT NULL"
    };

    private SnapshotHistory() {
    }

    static void record(Connection connection, boolean empty, Instant snapshotAt) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(empty ? SYNC
                    : SYNC + " WHERE p.kidc IN (SELECT kidc FROM snapshot_person s WHERE s.version = p.version)");
            for (String step : APPLY) {
                statement.execute(step);
            }
        }
        if (snapshotAt != null) {
            try (PreparedStatement began = connection.prepareStatement(
                    "UPDATE replica.replica_state SET history_began_on = coalesce(history_began_on, ?) WHERE id = 1")) {
                LocalDate day = PhnomPenh.day(snapshotAt);
                began.setObject(1, day);
                began.executeUpdate();
            }
        }
    }
}
