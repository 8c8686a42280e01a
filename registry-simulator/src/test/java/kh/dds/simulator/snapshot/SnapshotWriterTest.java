package kh.dds.simulator.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.simulator.population.Population;
import kh.dds.simulator.publish.RegistrationPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {

    private final RegistryEventCodec codec = new RegistryEventCodec();
    private final ObjectMapper mapper = codec.mapper();

    @TempDir
    Path directory;

    private Path write(long seed, int persons, String name) throws IOException {
        Path file = directory.resolve(name);
        new SnapshotWriter(new Population(seed, persons), codec).write(file, written -> { });
        return file;
    }

    private static List<String> lines(Path gzip) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gzip)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        byte[] first = Files.readAllBytes(write(42, 3000, "a.ndjson.gz"));
        byte[] second = Files.readAllBytes(write(42, 3000, "b.ndjson.gz"));
        byte[] otherSeed = Files.readAllBytes(write(43, 3000, "c.ndjson.gz"));
        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.equals(first, otherSeed));
    }

    @Test
    void theHeaderDescribesTheSnapshot() throws IOException {
        List<String> lines = lines(write(42, 1000, "s.ndjson.gz"));
        assertEquals(1001, lines.size());
        JsonNode header = mapper.readTree(lines.get(0)).get("snapshot");
        assertEquals(SnapshotWriter.snapshotId(new Population(42, 1000)), header.get("id").asText());
        assertEquals(42, header.get("seed").asLong());
        assertEquals(1000, header.get("persons").asInt());
        assertEquals("2026-01-01T00:00:00Z", header.get("createdAt").asText());
        JsonNode positions = header.get("positions").get("registry.person-events");
        assertTrue(positions.isObject() && positions.isEmpty(), "no event was published before the snapshot");
        assertEquals("{\"snapshot\":{\"id\":\"" + header.get("id").asText() + "\",\"seed\":42,\"persons\":1000,"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"positions\":{\"registry.person-events\":{}}}}",
                lines.get(0));
        String otherId = SnapshotWriter.snapshotId(new Population(42, 1001));
        assertFalse(otherId.equals(header.get("id").asText()), "the id depends on the number of persons");
    }

    @Test
    void eachPersonLineHoldsExactlyThePayloadOfItsPersonRegisteredEvent() throws IOException {
        Population population = new Population(42, 2000);
        List<String> lines = lines(write(42, 2000, "s.ndjson.gz"));
        RegistrationPublisher publisher = new RegistrationPublisher(population, codec);
        Set<String> kidcs = new HashSet<>();
        for (int index = 0; index < population.size(); index++) {
            String line = lines.get(index + 1);
            JsonNode node = mapper.readTree(line);
            String kidc = node.get("kidc").asText();
            assertTrue(kidcs.add(kidc));
            assertEquals(1, node.get("sequence").asInt());
            assertEquals("ACTIVE", node.get("status").asText());
            assertEquals(population.referenceInstant(), Instant.parse(node.get("lastEventAt").asText()));

            RegistryEvent registration = publisher.registration(index);
            assertEquals(kidc, registration.kidc());
            String encoded = codec.encode(registration);
            String payload = mapper.writeValueAsString(mapper.readTree(encoded).get("payload"));
            String record = line.substring(line.indexOf("\"record\":") + "\"record\":".length(), line.length() - 1);
            assertEquals(payload, record, "the record is byte for byte the event's payload");

            String wrapped = "{\"eventId\":\"" + registration.eventId() + "\",\"type\":\"PersonRegistered\",\"kidc\":\""
                    + kidc + "\",\"sequence\":1,\"occurredAt\":\"" + node.get("lastEventAt").asText()
                    + "\",\"payload\":" + record + "}";
            RegistryEvent decoded = codec.decode(wrapped);
            assertEquals(EventType.PersonRegistered, decoded.type());
            assertEquals(population.record(index), (PersonRecord) decoded.payload());
        }
    }
}
