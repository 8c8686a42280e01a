package kh.dds.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, end to end, without Kafka (events go to files). */
class RegistrySimulatorTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private int run(String... args) {
        return RegistrySimulator.run(args, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @Test
    void snapshotWritesTheFile() throws IOException {
        Path out = directory.resolve("population.ndjson.gz");
        assertEquals(0, run("snapshot", "--persons", "500", "--seed", "3", "--out", out.toString()));
        assertTrue(Files.size(out) > 0);
        assertTrue(Files.notExists(directory.resolve("population.ndjson.gz.partial")));
    }

    @Test
    void publishSendsOneRegistrationPerPersonOfTheSnapshot() throws IOException {
        Path snapshot = directory.resolve("population.ndjson.gz");
        Path events = directory.resolve("registrations.ndjson");
        assertEquals(0, run("snapshot", "--persons", "800", "--seed", "4", "--out", snapshot.toString()));
        assertEquals(0, run("publish", "--persons", "800", "--seed", "4", "--out", events.toString()));
        List<String> lines = gunzipLines(snapshot);
        List<String> registrations = Files.readAllLines(events);
        assertEquals(800, registrations.size());
        RegistryEventCodec codec = new RegistryEventCodec();
        ObjectMapper mapper = codec.mapper();
        for (int i = 0; i < registrations.size(); i++) {
            RegistryEvent event = codec.decode(registrations.get(i));
            JsonNode person = mapper.readTree(lines.get(i + 1));
            assertEquals(EventType.PersonRegistered, event.type());
            assertEquals(1, event.sequence());
            assertEquals(person.get("kidc").asText(), event.kidc());
            assertEquals(person.get("lastEventAt").asText(), event.occurredAt().toString());
            assertEquals(person.get("record"), mapper.readTree(registrations.get(i)).get("payload"));
        }
    }

    @Test
    void claimsWritesOneRequestBodyALine() throws IOException {
        Path out = directory.resolve("claims.ndjson");
        assertEquals(0, run("claims", "--persons", "500", "--seed", "5", "--count", "300", "--out", out.toString()));
        List<String> lines = Files.readAllLines(out);
        assertEquals(300, lines.size());
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode body = mapper.readTree(line);
            assertEquals("KYC_ACCOUNT_OPENING", body.get("purpose").asText());
            assertTrue(body.get("claims").has("familyName"));
        }
        assertTrue(Files.notExists(directory.resolve("claims.ndjson.partial")));
    }

    @Test
    void mistakesAreUsageErrors() {
        assertEquals(2, run());
        assertEquals(2, run("snapshot", "--persons", "500"));
        assertEquals(2, run("snapshot", "--persons", "500", "--out", "x", "--sede", "3"));
        assertEquals(2, run("stream", "--persons", "ten", "--dry-run"));
        assertEquals(2, run("stream", "--dry-run", "--out", "x"));
        assertEquals(2, run("stream", "--dry-run", "--events", "5", "--duration", "5"));
        assertEquals(2, run("teleport"));
        assertEquals(2, run("claims", "--persons", "500", "--out", "x", "--mix", "70,30"));
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("unknown option --sede"));
        assertEquals(0, run("help"));
    }

    @Test
    void aStreamStoppedAndResumedWithItsStateSendsWhatOneUninterruptedStreamWould() throws IOException {
        Path state = directory.resolve("stream.state");
        Path first = directory.resolve("first.ndjson");
        Path second = directory.resolve("second.ndjson.gz");
        Path whole = directory.resolve("whole.ndjson");
        String[] population = {"--persons", "3000", "--seed", "5", "--rate", "0"};
        assertEquals(0, run(concat("stream", population, "--events", "2500", "--state", state.toString(),
                "--out", first.toString())));
        assertTrue(Files.exists(state));
        assertEquals(0, run(concat("stream", population, "--events", "2500", "--state", state.toString(),
                "--out", second.toString())));
        assertEquals(0, run(concat("stream", population, "--events", "5000", "--out", whole.toString())));

        List<String> resumed = new ArrayList<>(withoutTimes(Files.readAllLines(first)));
        resumed.addAll(withoutTimes(gunzipLines(second)));
        assertEquals(withoutTimes(Files.readAllLines(whole)), resumed);
    }

    private static String[] concat(String command, String[] common, String... more) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(List.of(common));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static List<String> gunzipLines(Path file) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static List<String> withoutTimes(List<String> lines) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> stripped = new ArrayList<>();
        for (String line : lines) {
            ObjectNode node = (ObjectNode) mapper.readTree(line);
            node.remove("occurredAt");
            stripped.add(node.toString());
        }
        return stripped;
    }
}
