package kh.dds.replica.statistics;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import kh.dds.replica.ReplicaConfig;
import kh.dds.schema.statistics.PopulationHistory;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * Builds {@code replica.population_day}: for each closed day (before today in Phnom Penh) since the history began,
 * the counts and record-key sums of the active persons by every dimension of the statistics, from
 * {@code person_history} with one {@code GROUP BY} a day, each day in a transaction of its own. A day a batch changed
 * after it may have been built (a late event, a snapshot) is marked stale by that batch and built again; its marks
 * are removed by id once the days from the earliest of them are rebuilt, so a mark written during a rebuild stays for
 * the next round. The API reads a day from here only when it is built and no mark lies at or before it.
 *
 * <p>Derived data, idempotent: a crash mid-round leaves marks (or unbuilt days) that the next round takes up. One
 * builder at a time across replica nodes (an advisory lock).
 */
@ApplicationScoped
public class PopulationDays {

    private static final Logger LOG = Logger.getLogger(PopulationDays.class);
    private static final long LOCK_ID = 0x44445350_4f50L;

    private static final String BUILD = """
            INSERT INTO replica.population_day (day, province, district, sex, age_band, marital_status, citizenship,
                                                persons, key_sum)
            SELECT ?::date, province, district, sex, %s, marital_status, citizenship, count(*), sum(record_key)
            FROM replica.person_history WHERE valid_from <= ?::date AND (valid_to IS NULL OR valid_to > ?::date)
            GROUP BY 2, 3, 4, 5, 6, 7""".formatted(PopulationHistory.ageBandSql("?"));

    private final AgroalDataSource dataSource;
    private final ReplicaConfig config;

    public PopulationDays(AgroalDataSource dataSource, ReplicaConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Scheduled(every = "${replica.statistics.build-interval}", delayed = "${replica.statistics.build-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            build(config.statistics().daysPerRound());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("population days not built this round: %s", e.toString());
        }
    }

    /** One round: builds up to {@code limit} days (unbuilt or stale, earliest first); returns how many it built. */
    public int build(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!lock(connection, "pg_try_advisory_lock")) {
                return 0;
            }
            try {
                return buildLocked(connection, limit);
            } finally {
                lock(connection, "pg_advisory_unlock");
            }
        }
    }

    private int buildLocked(Connection connection, int limit) throws SQLException {
        LocalDate began;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT history_began_on FROM replica.replica_state WHERE id = 1")) {
            rs.next();
            began = rs.getObject(1, LocalDate.class);
        }
        LocalDate today = PhnomPenh.today();
        if (began == null || !began.isBefore(today)) {
            return 0;
        }
        List<Long> marks = new ArrayList<>();
        LocalDate staleFrom = null;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, day FROM replica.population_day_stale")) {
            while (rs.next()) {
                marks.add(rs.getLong(1));
                LocalDate day = rs.getObject(2, LocalDate.class);
                if (staleFrom == null || day.isBefore(staleFrom)) {
                    staleFrom = day;
                }
            }
        }
        TreeSet<LocalDate> days = new TreeSet<>();
        if (staleFrom != null) {
            for (LocalDate day = staleFrom.isBefore(began) ? began : staleFrom; day.isBefore(today); day = day.plusDays(1)) {
                days.add(day);
            }
        }
        TreeSet<LocalDate> built = new TreeSet<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT day FROM replica.population_day_built WHERE day >= ?")) {
            query.setObject(1, began);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    built.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        for (LocalDate day = began; day.isBefore(today); day = day.plusDays(1)) {
            if (!built.contains(day)) {
                days.add(day);
            }
        }
        int count = 0;
        LocalDate left = null;
        for (LocalDate day : days) {
            if (count == limit) {
                left = day;
                break;
            }
            buildDay(connection, day);
            count++;
        }
        if (!marks.isEmpty()) {
            // the marks read are replaced by one at the first day left, if any, in one transaction: marks written
            // since by batches stay
            connection.setAutoCommit(false);
            try {
                if (left != null) {
                    try (PreparedStatement mark = connection.prepareStatement(
                            "INSERT INTO replica.population_day_stale (day) VALUES (?)")) {
                        mark.setObject(1, left.isBefore(staleFrom) ? staleFrom : left);
                        mark.executeUpdate();
                    }
                }
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM replica.population_day_stale WHERE id = ANY(?)")) {
                    delete.setArray(1, connection.createArrayOf("bigint", marks.toArray()));
                    delete.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        if (count > 0) {
            LOG.infof("population days built: %d (%s to %s)", count, days.first(), days.last());
        }
        return count;
    }

    private static void buildDay(Connection connection, LocalDate day) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM replica.population_day WHERE day = ?")) {
                delete.setObject(1, day);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(BUILD)) {
                insert.setObject(1, day);
                insert.setInt(2, PopulationHistory.ymd(day));
                insert.setObject(3, day);
                insert.setObject(4, day);
                insert.executeUpdate();
            }
            try (PreparedStatement mark = connection.prepareStatement("""
                    INSERT INTO replica.population_day_built (day, built_at) VALUES (?, now())
                    ON CONFLICT (day) DO UPDATE SET built_at = now()""")) {
                mark.setObject(1, day);
                mark.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static boolean lock(Connection connection, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
            statement.setLong(1, LOCK_ID);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
