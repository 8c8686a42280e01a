package kh.dds.replica.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import kh.dds.replica.ingest.RegistryMapper;
import kh.dds.replica.person.PersonReplica;
import kh.dds.replica.statistics.PersonRecordKeys;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.MalformedEventException;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.PersonStatus;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.schema.kidc.Kidc;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk-loads a registry snapshot (gzip NDJSON: a header line, then one person a line) into the replica with
 * {@code COPY}, in one transaction. Into an empty replica the rows go straight into {@code replica.person}; into a
 * replica that already has rows they go through a staging table and are merged, a person's row replaced only by a
 * higher version. A snapshot is loaded once (by its id); the topic positions it reflects are kept, so the stream is
 * followed from there. Every line is validated as the registry's record; a bad line fails the whole load, naming it.
 */
@ApplicationScoped
public class SnapshotLoader {

    private static final Logger LOG = Logger.getLogger(SnapshotLoader.class);

    private static final int PARSERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final int CHUNK = 2_000;

    private static final String COLUMNS = "kidc, version, status, sex, birth_date, birth_precision, address_province, "
            + "date_of_death, survivor_kidc, record, last_event_at, record_key";

    private static final String MERGE = "INSERT INTO replica.person (" + COLUMNS + ") SELECT " + COLUMNS
            + " FROM snapshot_person ON CONFLICT (kidc) DO UPDATE SET version = EXCLUDED.version,"
            + " status = EXCLUDED.status, sex = EXCLUDED.sex, birth_date = EXCLUDED.birth_date,"
            + " birth_precision = EXCLUDED.birth_precision, address_province = EXCLUDED.address_province,"
            + " date_of_death = EXCLUDED.date_of_death, survivor_kidc = EXCLUDED.survivor_kidc,"
            + " record = EXCLUDED.record, last_event_at = EXCLUDED.last_event_at,"
            + " record_key = EXCLUDED.record_key, updated_at = now()"
            + " WHERE replica.person.version < EXCLUDED.version";

    private final AgroalDataSource dataSource;
    private final RegistryEventCodec codec;
    private final ObjectMapper mapper;
    private final PersonRecordKeys recordKeys;

    public SnapshotLoader(AgroalDataSource dataSource, RegistryEventCodec codec, @RegistryMapper ObjectMapper mapper,
                          PersonRecordKeys recordKeys) {
        this.dataSource = dataSource;
        this.codec = codec;
        this.mapper = mapper;
        this.recordKeys = recordKeys;
    }

    /** The furthest position of each partition of the topic that loaded snapshots reflect. */
    public Map<Integer, Long> positions(String topic) throws SQLException {
        Map<Integer, Long> positions = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT p.key::int AS partition, max(p.value::bigint) AS position
                     FROM replica.snapshot_load s, jsonb_each_text(s.positions -> ?) p GROUP BY p.key""")) {
            query.setString(1, topic);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getInt("partition"), rs.getLong("position"));
                }
            }
        }
        return positions;
    }

    /** Loads the snapshot unless it was loaded before. Blocking: call it from a worker thread. */
    public LoadResult load(Path file) throws IOException, SQLException {
        Instant started = Instant.now();
        try (BufferedReader reader = open(file); Connection connection = dataSource.getConnection()) {
            SnapshotHeader header = header(reader.readLine(), file);
            Copied copied;
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement("""
                        SELECT persons, extract(epoch FROM finished_at - started_at) AS seconds
                        FROM replica.snapshot_load WHERE snapshot_id = ?""")) {
                    // one loader at a time, and each snapshot once
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LOCK TABLE replica.snapshot_load IN EXCLUSIVE MODE");
                    }
                    lock.setString(1, header.id());
                    try (ResultSet rs = lock.executeQuery()) {
                        if (rs.next()) {
                            connection.rollback();
                            LOG.infof("snapshot %s was loaded before", header.id());
                            return new LoadResult(header, rs.getLong("persons"),
                                    Duration.ofMillis(Math.round(rs.getDouble("seconds") * 1000)), false);
                        }
                    }
                }
                boolean empty;
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM replica.person)")) {
                    rs.next();
                    empty = rs.getBoolean(1);
                }
                String target = "replica.person";
                List<String> rebuild = List.of();
                if (empty) {
                    rebuild = dropIndexes(connection);
                } else {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("CREATE TEMP TABLE snapshot_person (LIKE replica.person INCLUDING DEFAULTS)"
                                + " ON COMMIT DROP");
                    }
                    target = "snapshot_person";
                }
                copied = copy(reader, connection, target);
                try (Statement statement = connection.createStatement()) {
                    for (String index : rebuild) {
                        statement.execute(index);
                    }
                }
                if (!empty) {
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate(MERGE);
                    }
                }
                SnapshotHistory.record(connection, empty, copied.lastEventAt());
                try (PreparedStatement state = connection.prepareStatement("""
                        UPDATE replica.replica_state SET
                            persons = (SELECT count(*) FROM replica.person WHERE record IS NOT NULL),
                            last_event_at = CASE WHEN last_event_at IS NULL THEN ?
                                                 ELSE greatest(last_event_at, ?) END
                        WHERE id = 1""")) {
                    Timestamp last = copied.lastEventAt() == null ? null : Timestamp.from(copied.lastEventAt());
                    state.setTimestamp(1, last);
                    state.setTimestamp(2, last);
                    state.executeUpdate();
                }
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO replica.snapshot_load VALUES (?, ?, ?::jsonb, ?, clock_timestamp())")) {
                    record.setString(1, header.id());
                    record.setLong(2, copied.persons());
                    record.setString(3, mapper.writeValueAsString(header.positions()));
                    record.setTimestamp(4, Timestamp.from(started));
                    record.executeUpdate();
                }
                connection.commit();
            } catch (IOException | SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            try (Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("ANALYZE replica.person");
            }
            Duration took = Duration.between(started, Instant.now());
            long persons = copied.persons();
            LOG.infof("snapshot %s loaded: %d persons in %.1f s", header.id(), persons, took.toMillis() / 1000.0);
            return new LoadResult(header, persons, took, true);
        }
    }

    /**
     * Into an empty table, {@code COPY} without its indexes and build them afterwards (much faster than maintaining
     * them row by row); a duplicate KIdC in the snapshot then fails the primary key, and the whole load.
     */
    private static List<String> dropIndexes(Connection connection) throws SQLException {
        List<String> rebuild = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("""
                    SELECT indexname, indexdef FROM pg_indexes
                    WHERE schemaname = 'replica' AND tablename = 'person' AND indexname <> 'person_pkey'""")) {
                while (rs.next()) {
                    names.add(rs.getString("indexname"));
                    rebuild.add(rs.getString("indexdef"));
                }
            }
            for (String name : names) {
                statement.execute("DROP INDEX replica." + name);
            }
            statement.execute("ALTER TABLE replica.person DROP CONSTRAINT person_pkey");
            statement.execute("SET LOCAL maintenance_work_mem = '256MB'");
        }
        rebuild.add(0, "ALTER TABLE replica.person ADD CONSTRAINT person_pkey PRIMARY KEY (kidc)");
        return rebuild;
    }

    /**
     * Streams the rows into {@code COPY}: this thread reads the file and writes to the database while parser threads
     * validate and render chunks of lines, in order, a few chunks ahead.
     */
    private Copied copy(BufferedReader reader, Connection connection, String target) throws IOException, SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + target + " (" + COLUMNS + ") FROM STDIN");
        ExecutorService parsers = Executors.newFixedThreadPool(PARSERS, runnable -> {
            Thread thread = new Thread(runnable, "snapshot-parser");
            thread.setDaemon(true);
            return thread;
        });
        Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
        long persons = 0;
        Instant lastEventAt = null;
        try {
            long lineNumber = 1;
            List<String> lines = new ArrayList<>(CHUNK);
            long firstLine = lineNumber + 1;
            String line;
            while (true) {
                line = reader.readLine();
                if (line != null) {
                    lineNumber++;
                    lines.add(line);
                }
                if (lines.size() == CHUNK || (line == null && !lines.isEmpty())) {
                    List<String> batch = lines;
                    long from = firstLine;
                    inFlight.add(parsers.submit(() -> render(batch, from)));
                    lines = new ArrayList<>(CHUNK);
                    firstLine = lineNumber + 1;
                }
                while (!inFlight.isEmpty() && (inFlight.size() > 2 * PARSERS || line == null)) {
                    Chunk chunk = next(inFlight);
                    copy.writeToCopy(chunk.rows(), 0, chunk.rows().length);
                    persons += chunk.persons();
                    if (chunk.lastEventAt() != null && (lastEventAt == null || chunk.lastEventAt().isAfter(lastEventAt))) {
                        lastEventAt = chunk.lastEventAt();
                    }
                }
                if (line == null) {
                    break;
                }
            }
            copy.endCopy();
        } catch (IOException | SQLException | RuntimeException e) {
            inFlight.forEach(future -> future.cancel(true));
            if (copy.isActive()) {
                copy.cancelCopy();
            }
            throw e;
        } finally {
            parsers.shutdownNow();
        }
        return new Copied(persons, lastEventAt);
    }

    private static Chunk next(Deque<Future<Chunk>> inFlight) {
        try {
            return inFlight.removeFirst().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a snapshot", e);
        }
    }

    /** Validates and renders one chunk of lines as COPY text rows. */
    private Chunk render(List<String> lines, long firstLine) throws IOException {
        StringBuilder rows = new StringBuilder(lines.size() * 700);
        Instant lastEventAt = null;
        int persons = 0;
        long lineNumber = firstLine;
        for (String line : lines) {
            if (!line.isBlank()) {
                SnapshotRow row = row(line, lineNumber);
                appendRow(rows, row);
                persons++;
                if (lastEventAt == null || row.lastEventAt().isAfter(lastEventAt)) {
                    lastEventAt = row.lastEventAt();
                }
            }
            lineNumber++;
        }
        return new Chunk(rows.toString().getBytes(StandardCharsets.UTF_8), persons, lastEventAt);
    }

    private SnapshotRow row(String line, long lineNumber) {
        try {
            JsonNode node = mapper.readTree(line);
            String kidc = node.path("kidc").asText(null);
            String problem = Kidc.problemWith(kidc);
            if (problem != null) {
                throw new IllegalArgumentException("kidc: " + problem);
            }
            long sequence = node.path("sequence").asLong(0);
            if (sequence < 1) {
                throw new IllegalArgumentException("sequence: must be a whole number from 1");
            }
            PersonStatus status = PersonStatus.valueOf(node.path("status").asText("ACTIVE"));
            Instant lastEventAt = Instant.parse(node.path("lastEventAt").asText());
            ObjectNode event = mapper.createObjectNode();
            event.put("eventId", "00000000-0000-4000-8000-000000000000");
            event.put("type", "PersonCorrected");
            event.put("kidc", kidc);
            event.put("sequence", sequence);
            event.put("occurredAt", lastEventAt.toString());
            event.set("payload", node.path("record"));
            PersonRecord record = (PersonRecord) codec.decode(event).payload();
            String dateOfDeath = node.path("dateOfDeath").asText(null);
            String survivor = node.path("survivorKidc").asText(null);
            if (status == PersonStatus.RETIRED && !Kidc.isValid(survivor)) {
                throw new IllegalArgumentException("survivorKidc: a retired person needs a valid survivor");
            }
            if (status == PersonStatus.DECEASED && dateOfDeath == null) {
                throw new IllegalArgumentException("dateOfDeath: a deceased person needs one");
            }
            return new SnapshotRow(kidc, sequence, status, record, dateOfDeath == null ? null : LocalDate.parse(dateOfDeath),
                    survivor, lastEventAt, mapper.writeValueAsString(record));
        } catch (MalformedEventException e) {
            throw new SnapshotException("line " + lineNumber + ": " + e.reason().replace("payload.", "record."));
        } catch (IOException | RuntimeException e) {
            throw new SnapshotException("line " + lineNumber + ": " + e.getMessage());
        }
    }

    private void appendRow(StringBuilder out, SnapshotRow row) {
        PartialDate birth = PartialDate.parse(row.record().dateOfBirth());
        field(out, row.kidc()).append('\t');
        out.append(row.sequence()).append('\t');
        field(out, row.status().name()).append('\t');
        field(out, row.record().sex()).append('\t');
        field(out, birth.earliest().toString()).append('\t');
        field(out, PersonReplica.precisionCode(birth)).append('\t');
        field(out, row.record().address().province()).append('\t');
        field(out, row.dateOfDeath() == null ? null : row.dateOfDeath().toString()).append('\t');
        field(out, row.survivorKidc()).append('\t');
        field(out, row.json()).append('\t');
        field(out, row.lastEventAt().toString()).append('\t');
        out.append(recordKeys.of(row.kidc())).append('\n');
    }

    /** Appends a value in COPY's text format: {@code \N} for null, backslash, tab and line breaks escaped. */
    static StringBuilder field(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    private SnapshotHeader header(String line, Path file) throws IOException {
        if (line == null) {
            throw new SnapshotException(file + " is empty");
        }
        JsonNode snapshot = mapper.readTree(line).path("snapshot");
        if (!snapshot.isObject() || !snapshot.path("id").isTextual()) {
            throw new SnapshotException("line 1: not a snapshot header");
        }
        Map<String, Map<String, Long>> positions = new HashMap<>();
        snapshot.path("positions").fields().forEachRemaining(topic -> {
            Map<String, Long> offsets = new HashMap<>();
            topic.getValue().fields().forEachRemaining(p -> offsets.put(p.getKey(), p.getValue().asLong()));
            positions.put(topic.getKey(), offsets);
        });
        return new SnapshotHeader(snapshot.path("id").asText(), snapshot.path("persons").asLong(), positions);
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    public record SnapshotHeader(String id, long persons, Map<String, Map<String, Long>> positions) {
    }

    public record LoadResult(SnapshotHeader header, long persons, Duration took, boolean loadedNow) {
    }

    private record Copied(long persons, Instant lastEventAt) {
    }

    private record Chunk(byte[] rows, int persons, Instant lastEventAt) {
    }

    private record SnapshotRow(String kidc, long sequence, PersonStatus status, PersonRecord record,
                               LocalDate dateOfDeath, String survivorKidc, Instant lastEventAt, String json) {
    }

    /** A snapshot that cannot be loaded, with the line at fault. */
    public static class SnapshotException extends RuntimeException {
        public SnapshotException(String message) {
            super(message);
        }
    }
}
