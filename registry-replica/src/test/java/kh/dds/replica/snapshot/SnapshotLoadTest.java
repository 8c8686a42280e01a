package kh.dds.replica.snapshot;

import static kh.dds.replica.ReplicaTestSupport.person;
import static kh.dds.replica.ReplicaTestSupport.publish;
import static kh.dds.replica.ReplicaTestSupport.version;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.replica.RegistryEvents;
import kh.dds.replica.ReplicaTestSupport;
import kh.dds.replica.ingest.HeldEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot bulk-loaded with COPY, then the stream followed from there. */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = "dds_replica_test"),
        @ResourceArg(name = "topics", value = ReplicaTestSupport.TOPICS)})
class SnapshotLoadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = RegistryEvents.CODEC.mapper();

    @Inject
    AgroalDataSource db;
    @Inject
    SnapshotLoader loader;
    @Inject
    HeldEvents heldEvents;

    @TempDir
    Path dir;

    @Test
    void aSnapshotIsLoadedOnceThenTheStreamIsFollowed() throws Exception {
        String active = RegistryEvents.newKidc();
        String deceased = RegistryEvents.newKidc();
        String retired = RegistryEvents.newKidc();
        // an event of the snapshot's first person arrives before the snapshot is loaded: it is held
        publish(RegistryEvents.nameChanged(active, 2, "CHEA"));
        await().atMost(WAIT).until(() -> ReplicaTestSupport.heldNow(db) >= 1);

        Path file = snapshot(List.of(
                line(active, 1, "ACTIVE", null, null),
                line(deceased, 4, "DECEASED", "2025-12-01", null),
                line(retired, 2, "RETIRED", null, active)));
        SnapshotLoader.LoadResult result = loader.load(file);
        assertTrue(result.loadedNow());
        assertEquals(3, result.persons());
        assertEquals(4L, version(db, deceased));
        assertEquals("DECEASED", person(db, deceased).get("status"));
        assertEquals(active, person(db, retired).get("survivor"));

        heldEvents.drain().await().atMost(WAIT);
        assertEquals(2L, version(db, active), "the held event was applied once its gap was filled by the snapshot");
        assertEquals("CHEA", person(db, active).get("family"));

        publish(RegistryEvents.documentRevoked(deceased, 5, "010203040"));
        await().atMost(WAIT).until(() -> version(db, deceased) == 5);

        SnapshotLoader.LoadResult again = loader.load(file);
        assertFalse(again.loadedNow(), "a snapshot is loaded once");
        assertEquals(3, again.persons(), "a repeat reports the first load");
    }

    @Test
    void aSnapshotNeverRollsAPersonBack() throws Exception {
        String kidc = RegistryEvents.newKidc();
        publish(RegistryEvents.registered(kidc), RegistryEvents.nameChanged(kidc, 2, "ROS"));
        await().atMost(WAIT).until(() -> version(db, kidc) == 2);
        loader.load(snapshot(List.of(line(kidc, 1, "ACTIVE", null, null))));
        assertEquals(2L, version(db, kidc));
        assertEquals("ROS", person(db, kidc).get("family"));
    }

    @Test
    void aBadLineFailsTheWholeLoadNamingTheLine() throws Exception {
        String first = RegistryEvents.newKidc();
        ObjectNode bad = line(RegistryEvents.newKidc(), 1, "ACTIVE", null, null);
        ((ObjectNode) bad.get("record")).remove("sex");
        Path file = snapshot(List.of(line(first, 1, "ACTIVE", null, null), bad));
        SnapshotLoader.SnapshotException e = assertThrows(SnapshotLoader.SnapshotException.class, () -> loader.load(file));
        assertEquals("line 3: record.sex: missing", e.getMessage());
        assertEquals(Map.of("version", 0L), person(db, first), "nothing of a failed snapshot is loaded");
    }

    private static ObjectNode line(String kidc, long sequence, String status, String dateOfDeath, String survivor) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("kidc", kidc);
        line.put("sequence", sequence);
        line.put("status", status);
        line.put("lastEventAt", "2026-11-01T00:00:00Z");
        line.set("record", MAPPER.valueToTree(RegistryEvents.record("SOK", "DARA")));
        if (dateOfDeath != null) {
            line.put("dateOfDeath", dateOfDeath);
        }
        if (survivor != null) {
            line.put("survivorKidc", survivor);
        }
        return line;
    }

    private Path snapshot(List<ObjectNode> persons) throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + ".ndjson.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            ObjectNode header = MAPPER.createObjectNode();
            ObjectNode snapshot = header.putObject("snapshot");
            snapshot.put("id", "test-" + UUID.randomUUID());
            snapshot.put("persons", persons.size());
            snapshot.putObject("positions").putObject("registry.person-events");
            writer.write(MAPPER.writeValueAsString(header) + "\n");
            for (ObjectNode person : persons) {
                writer.write(MAPPER.writeValueAsString(person) + "\n");
            }
        }
        return file;
    }
}
