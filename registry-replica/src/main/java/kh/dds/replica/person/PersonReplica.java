package kh.dds.replica.person;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kh.dds.replica.ingest.RegistryMapper;
import kh.dds.replica.statistics.PersonRecordKeys;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.PersonStatus;

/**
 * The person rows of the replica and the events held behind gaps, read and written in batches with the reactive
 * PostgreSQL client: one statement per kind of write, whatever the batch size.
 */
@ApplicationScoped
public class PersonReplica {

    private static final String LOCK = """
            SELECT kidc, version, status, record::text AS record, date_of_death, survivor_kidc, last_event_at
            FROM replica.person WHERE kidc = ANY($1) ORDER BY kidc FOR UPDATE""";

    private static final String UPSERT = """
            INSERT INTO replica.person (kidc, version, status, sex, birth_date, birth_precision, address_province,
                                        date_of_death, survivor_kidc, record, last_event_at, record_key, updated_at)
            SELECT k, v, st, sx, bd, bp, pr, dd, sv, rc::jsonb, le, rk, now()
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[],
                        $8::date[], $9::text[], $10::text[], $11::timestamptz[], $12::smallint[])
                 AS u(k, v, st, sx, bd, bp, pr, dd, sv, rc, le, rk)
            ON CONFLICT (kidc) DO UPDATE SET
                version = EXCLUDED.version, status = EXCLUDED.status, sex = EXCLUDED.sex,
                birth_date = EXCLUDED.birth_date, birth_precision = EXCLUDED.birth_precision,
                address_province = EXCLUDED.address_province, date_of_death = EXCLUDED.date_of_death,
                survivor_kidc = EXCLUDED.survivor_kidc, record = EXCLUDED.record,
                last_event_at = EXCLUDED.last_event_at, record_key = EXCLUDED.record_key, updated_at = now()
            WHERE replica.person.version < EXCLUDED.version""";

    private static final String HELD = """
            SELECT kidc, sequence, event, source_partition, source_offset, problem
            FROM replica.held_event WHERE kidc = ANY($1)""";

    private static final String HOLD = """
            INSERT INTO replica.held_event (kidc, sequence, event, source_partition, source_offset, problem)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::bigint[], $6::text[])
            ON CONFLICT (kidc, sequence) DO NOTHING""";

    private static final String RELEASE = """
            DELETE FROM replica.held_event h USING unnest($1::text[], $2::bigint[]) AS u(k, s)
            WHERE h.kidc = u.k AND h.sequence = u.s""";

    private static final String DRAINABLE = """
            SELECT DISTINCT h.kidc FROM replica.held_event h
            LEFT JOIN replica.person p ON p.kidc = h.kidc
            WHERE h.sequence <= coalesce(p.version, 0) + 1
            LIMIT $1""";

    private final ObjectMapper mapper;
    private final PersonRecordKeys recordKeys;

    public PersonReplica(@RegistryMapper ObjectMapper mapper, PersonRecordKeys recordKeys) {
        this.mapper = mapper;
        this.recordKeys = recordKeys;
    }

    /**
     * The current state of each of these persons, locked until the transaction ends; unknown persons are absent.
     * Rows are locked in KIdC order, so concurrent batches (and the held-event drain) cannot deadlock.
     */
    public Uni<Map<String, PersonState>> lock(SqlConnection tx, Collection<String> kidcs) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(kidcs.toArray(String[]::new))).map(rows -> {
            Map<String, PersonState> states = new HashMap<>(kidcs.size() * 2);
            for (Row row : rows) {
                PersonState state = state(row);
                states.put(state.kidc(), state);
            }
            return states;
        });
    }

    public Uni<Void> save(SqlConnection tx, Collection<PersonState> states) {
        if (states.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = states.size();
        String[] kidc = new String[n];
        Long[] version = new Long[n];
        String[] status = new String[n];
        String[] sex = new String[n];
        LocalDate[] birthDate = new LocalDate[n];
        String[] birthPrecision = new String[n];
        String[] province = new String[n];
        LocalDate[] dateOfDeath = new LocalDate[n];
        String[] survivor = new String[n];
        String[] record = new String[n];
        OffsetDateTime[] lastEventAt = new OffsetDateTime[n];
        Short[] recordKey = new Short[n];
        int i = 0;
        for (PersonState state : states) {
            kidc[i] = state.kidc();
            version[i] = state.version();
            status[i] = state.status() == null ? null : state.status().name();
            if (state.record() != null) {
                sex[i] = state.sex();
                PartialDate birth = state.birth();
                if (birth != null) {
                    birthDate[i] = birth.earliest();
                    birthPrecision[i] = precisionCode(birth);
                }
                province[i] = state.province();
                record[i] = write(state.record());
            }
            dateOfDeath[i] = state.dateOfDeath();
            survivor[i] = state.survivorKidc();
            lastEventAt[i] = state.lastEventAt().atOffset(ZoneOffset.UTC);
            recordKey[i] = (short) recordKeys.of(state.kidc());
            i++;
        }
        Tuple params = Tuple.tuple(List.of(kidc, version, status, sex, birthDate, birthPrecision, province,
                dateOfDeath, survivor, record, lastEventAt, recordKey));
        return tx.preparedQuery(UPSERT).execute(params).replaceWithVoid();
    }

    public Uni<List<HeldEvent>> held(SqlConnection tx, Collection<String> kidcs) {
        return tx.preparedQuery(HELD).execute(Tuple.of(kidcs.toArray(String[]::new))).map(rows -> {
            List<HeldEvent> held = new ArrayList<>();
            for (Row row : rows) {
                held.add(new HeldEvent(row.getString("kidc"), row.getLong("sequence"), row.getString("event"),
                        row.getInteger("source_partition"), row.getLong("source_offset"), row.getString("problem")));
            }
            return held;
        });
    }

    public Uni<Void> hold(SqlConnection tx, List<HeldEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = events.size();
        String[] kidc = new String[n];
        Long[] sequence = new Long[n];
        String[] event = new String[n];
        Integer[] partition = new Integer[n];
        Long[] offset = new Long[n];
        String[] problem = new String[n];
        for (int i = 0; i < n; i++) {
            HeldEvent held = events.get(i);
            kidc[i] = held.kidc();
            sequence[i] = held.sequence();
            event[i] = held.event();
            partition[i] = held.sourcePartition();
            offset[i] = held.sourceOffset();
            problem[i] = held.problem();
        }
        return tx.preparedQuery(HOLD).execute(Tuple.of(kidc, sequence, event, partition, offset, problem))
                .replaceWithVoid();
    }

    public Uni<Void> release(SqlConnection tx, List<HeldEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] kidc = events.stream().map(HeldEvent::kidc).toArray(String[]::new);
        Long[] sequence = events.stream().map(HeldEvent::sequence).toArray(Long[]::new);
        return tx.preparedQuery(RELEASE).execute(Tuple.of(kidc, sequence)).replaceWithVoid();
    }

    /** Persons whose held events could now be applied (their gap has been filled, e.g. by a snapshot). */
    public Uni<List<String>> drainable(SqlConnection connection, int limit) {
        return connection.preparedQuery(DRAINABLE).execute(Tuple.of(limit))
                .map(rows -> {
                    List<String> kidcs = new ArrayList<>();
                    rows.forEach(row -> kidcs.add(row.getString("kidc")));
                    return kidcs;
                });
    }

    /** How the precision of a birth date is stored: Y, M or D. */
    public static String precisionCode(PartialDate date) {
        return date.precision().name().substring(0, 1);
    }

    private PersonState state(Row row) {
        String record = row.getString("record");
        String status = row.getString("status");
        OffsetDateTime lastEventAt = row.getOffsetDateTime("last_event_at");
        return new PersonState(row.getString("kidc"), row.getLong("version"),
                status == null ? null : PersonStatus.valueOf(status),
                record == null ? null : read(record), row.getLocalDate("date_of_death"),
                trimmed(row.getString("survivor_kidc")), lastEventAt == null ? null : lastEventAt.toInstant());
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private ObjectNode read(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable person record in the replica", e);
        }
    }

    private String write(ObjectNode record) {
        try {
            return mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a person record", e);
        }
    }

}
