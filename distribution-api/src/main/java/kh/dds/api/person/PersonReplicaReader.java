package kh.dds.api.person;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import kh.dds.schema.event.PersonStatus;

/**
 * Reads a person from the replica's read model ({@code replica.person}, defined in identity-schema and written by
 * registry-replica alone): one primary-key read. A row without a record (its first event was dead-lettered) is a
 * person the registry has not yet told the replica about: absent.
 */
@ApplicationScoped
public class PersonReplicaReader {

    private static final String READ = """
            SELECT version, status, record::text AS record, date_of_death, survivor_kidc, last_event_at
            FROM replica.person WHERE kidc = $1 AND record IS NOT NULL""";

    private static final String READ_ALL = """
            SELECT kidc, version, status, record::text AS record, date_of_death, survivor_kidc, last_event_at
            FROM replica.person WHERE kidc = ANY($1::bpchar[]) AND record IS NOT NULL""";

    private final Pool pool;
    private final ObjectMapper mapper;

    public PersonReplicaReader(@ReactiveDataSource("person-reads") Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<Optional<ReplicaPerson>> read(String kidc) {
        return pool.preparedQuery(READ).execute(Tuple.of(kidc)).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            return iterator.hasNext() ? Optional.of(person(kidc, iterator.next())) : Optional.empty();
        });
    }

    /** Many persons in one query (primary-key look-ups), keyed by KIdC; the absent ones are missing from the map. */
    public Uni<Map<String, ReplicaPerson>> readAll(Collection<String> kidcs) {
        return pool.preparedQuery(READ_ALL).execute(Tuple.of(kidcs.toArray(String[]::new))).map(rows -> {
            Map<String, ReplicaPerson> persons = new HashMap<>(rows.size() * 2);
            for (Row row : rows) {
                String kidc = row.getString("kidc").trim();
                persons.put(kidc, person(kidc, row));
            }
            return persons;
        });
    }

    private ReplicaPerson person(String kidc, Row row) {
        OffsetDateTime lastEventAt = row.getOffsetDateTime("last_event_at");
        String survivor = row.getString("survivor_kidc");
        try {
            return new ReplicaPerson(kidc, row.getLong("version"), PersonStatus.valueOf(row.getString("status")),
                    (ObjectNode) mapper.readTree(row.getString("record")), row.getLocalDate("date_of_death"),
                    survivor == null ? null : survivor.trim(), lastEventAt.toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable person record in the replica", e);
        }
    }
}
