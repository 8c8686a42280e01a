package kh.dds.replica.statistics;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the persons' history periods ({@code replica.person_history}) in the transaction of the batch whose events
 * changed them: exactly once, as the person rows are. Three statements a batch, whatever its size:
 * <ol>
 *   <li>the open period of each changed person that began on or after the person's first new day is removed (a
 *       period of no length, or one a late event overrides) — its start is returned;</li>
 *   <li>every other open period of these persons ends on that day;</li>
 *   <li>the new periods are inserted: one per profile between consecutive days, the last one open.</li>
 * </ol>
 * Days never go backwards for a person: a day before the start of the period removed in (1) is taken as that start,
 * so that periods never overlap (a person is counted at most once on any day). Several changes on one day leave the
 * last one: a day counts the persons as they stood at its end.
 */
@ApplicationScoped
public class PersonHistory {

    /** {@code c.k::bpchar}: the column's own type, so that the primary key finds the rows (compared as text, the
     * whole table is scanned for every batch). */
    private static final String REMOVE_OPEN = """
            DELETE FROM replica.person_history h USING unnest($1::text[], $2::date[]) AS c(k, d)
            WHERE h.kidc = c.k::bpchar AND h.valid_to IS NULL AND h.valid_from >= c.d
            RETURNING h.kidc, h.valid_from""";

    private static final String CLOSE_OPEN = """
            UPDATE replica.person_history h SET valid_to = c.d FROM unnest($1::text[], $2::date[]) AS c(k, d)
            WHERE h.kidc = c.k::bpchar AND h.valid_to IS NULL""";

    private static final String INSERT = """
            INSERT INTO replica.person_history (kidc, valid_from, valid_to, province, district, sex, birth_ymd,
                                                marital_status, citizenship, record_key)
            SELECT * FROM unnest($1::text[], $2::date[], $3::date[], $4::text[], $5::text[], $6::text[], $7::int[],
                                 $8::text[], $9::text[], $10::smallint[])
            ON CONFLICT (kidc, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, province = EXCLUDED.province,
                district = EXCLUDED.district, sex = EXCLUDED.sex, birth_ymd = EXCLUDED.birth_ymd,
                marital_status = EXCLUDED.marital_status, citizenship = EXCLUDED.citizenship,
                record_key = EXCLUDED.record_key""";

    private static final String STALE = "INSERT INTO replica.population_day_stale (day) VALUES ($1)";

    /**
     * Writes the transitions (in each person's order) and marks the closed days they change as stale. Completes in
     * the caller's transaction.
     */
    public Uni<Void> write(SqlConnection tx, List<HistoryTransition> transitions) {
        if (transitions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, List<HistoryTransition>> byPerson = new LinkedHashMap<>();
        for (HistoryTransition transition : transitions) {
            byPerson.computeIfAbsent(transition.kidc(), k -> new ArrayList<>()).add(transition);
        }
        String[] kidcs = byPerson.keySet().toArray(String[]::new);
        LocalDate[] firstDays = new LocalDate[kidcs.length];
        for (int i = 0; i < kidcs.length; i++) {
            firstDays[i] = monotone(byPerson.get(kidcs[i])).get(0).day();
        }
        Tuple firsts = Tuple.of(kidcs, firstDays);
        return tx.preparedQuery(REMOVE_OPEN).execute(firsts)
                .flatMap(removed -> {
                    Map<String, LocalDate> floors = new HashMap<>();
                    for (Row row : removed) {
                        floors.put(row.getString("kidc").trim(), row.getLocalDate("valid_from"));
                    }
                    return tx.preparedQuery(CLOSE_OPEN).execute(firsts)
                            .flatMap(closed -> insert(tx, byPerson, floors));
                });
    }

    private Uni<Void> insert(SqlConnection tx, Map<String, List<HistoryTransition>> byPerson,
                             Map<String, LocalDate> floors) {
        List<Object[]> periods = new ArrayList<>();
        LocalDate earliest = null;
        for (Map.Entry<String, List<HistoryTransition>> entry : byPerson.entrySet()) {
            List<HistoryTransition> list = monotone(entry.getValue());
            LocalDate floor = floors.get(entry.getKey());
            for (int i = 0; i < list.size(); i++) {
                LocalDate from = max(list.get(i).day(), floor);
                LocalDate to = i + 1 < list.size() ? max(list.get(i + 1).day(), floor) : null;
                if (earliest == null || from.isBefore(earliest)) {
                    earliest = from;
                }
                StatisticalProfile profile = list.get(i).profile();
                if (profile == null || (to != null && !to.isAfter(from))) {
                    continue;
                }
                periods.add(new Object[] {entry.getKey(), from, to, profile});
            }
        }
        int n = periods.size();
        String[] kidc = new String[n];
        LocalDate[] from = new LocalDate[n];
        LocalDate[] to = new LocalDate[n];
        String[] province = new String[n];
        String[] district = new String[n];
        String[] sex = new String[n];
        Integer[] birth = new Integer[n];
        String[] marital = new String[n];
        String[] citizenship = new String[n];
        Short[] key = new Short[n];
        for (int i = 0; i < n; i++) {
            Object[] period = periods.get(i);
            StatisticalProfile profile = (StatisticalProfile) period[3];
            kidc[i] = (String) period[0];
            from[i] = (LocalDate) period[1];
            to[i] = (LocalDate) period[2];
            province[i] = profile.province();
            district[i] = profile.district();
            sex[i] = profile.sex();
            birth[i] = profile.birthYmd();
            marital[i] = profile.maritalStatus();
            citizenship[i] = profile.citizenship();
            key[i] = (short) profile.recordKey();
        }
        Uni<Void> inserted = n == 0 ? Uni.createFrom().voidItem()
                : tx.preparedQuery(INSERT).execute(Tuple.tuple(List.of(kidc, from, to, province, district, sex, birth,
                        marital, citizenship, key))).replaceWithVoid();
        LocalDate stale = earliest;
        // marked even when it is today: a day closes at midnight whether or not the builder has seen the batch
        return inserted.chain(() -> stale != null
                ? tx.preparedQuery(STALE).execute(Tuple.of(stale)).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }

    /** The person's transitions with every day at least the one before it. */
    private static List<HistoryTransition> monotone(List<HistoryTransition> transitions) {
        List<HistoryTransition> result = new ArrayList<>(transitions.size());
        LocalDate last = null;
        for (HistoryTransition t : transitions) {
            LocalDate day = max(t.day(), last);
            result.add(day.equals(t.day()) ? t : new HistoryTransition(t.kidc(), day, t.profile()));
            last = day;
        }
        return result;
    }

    private static LocalDate max(LocalDate day, LocalDate floor) {
        return floor != null && floor.isAfter(day) ? floor : day;
    }
}
