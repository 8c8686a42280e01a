package kh.dds.replica.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.replica.RegistryEvents;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.Topics;
import kh.dds.schema.kidc.KidcAllocator;
import kh.dds.schema.kidc.KidcKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replica process killed (SIGKILL) twice in the middle of the stream, and its database connections cut while it
 * works: afterwards every event the broker acknowledged is applied exactly once. Drives the packaged replica as a
 * separate process, against the same real broker and database as the other tests.
 */
class ReplicaCrashIT {

    private static final String DATABASE = "dds_replica_it";
    private static final int PERSONS = 6_000;
    private static final int EVENTS_PER_PERSON = 6;
    private static final long TOTAL = (long) PERSONS * EVENTS_PER_PERSON;

    private final LocalServices services = LocalServices.get();
    private final PostgresEndpoint postgres = services.postgres();
    private Process replica;

    @AfterEach
    void stop() {
        if (replica != null) {
            replica.destroyForcibly();
        }
    }

    @Test
    void everyAcknowledgedEventIsAppliedExactlyOnceAcrossKills() throws Exception {
        postgres.ensureDatabase(DATABASE);
        sql("DROP SCHEMA IF EXISTS replica CASCADE");
        String topic = Topics.PERSON_EVENTS;
        services.createTopic(topic, 4, Map.of());
        services.createTopic(Topics.PERSON_EVENTS_DLQ, 1, Map.of());
        services.createTopic(Topics.PERSON_CHANGES, 4, Map.of("cleanup.policy", "compact"));
        Map<String, String> expectedFamily = publishWorkload();

        replica = start();
        long atFirstKill = killOnceApplied(TOTAL / 4);
        replica = start();
        long atSecondKill = killOnceApplied(TOTAL / 2);
        assertTrue(atFirstKill < TOTAL && atSecondKill < TOTAL,
                "the replica was killed mid-stream (applied " + atFirstKill + " and " + atSecondKill + " of " + TOTAL + ")");

        replica = start();
        // the database goes away under the replica's feet, twice: batches fail and are retried
        waitForApplied(TOTAL * 3 / 4, Duration.ofSeconds(120));
        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE
                + "' AND pid <> pg_backend_pid()");
        waitForApplied(TOTAL * 7 / 8, Duration.ofSeconds(120));
        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE
                + "' AND pid <> pg_backend_pid()");
        waitForApplied(TOTAL, Duration.ofSeconds(180));
        Thread.sleep(3_000);

        assertEquals(TOTAL, counter("applied"), "every event applied exactly once");
        assertEquals(0, counter("dead_lettered"));
        assertEquals(PERSONS, counter("persons"));
        assertEquals(0, single("SELECT count(*) FROM replica.held_event"));
        assertEquals(PERSONS, single("SELECT count(*) FROM replica.person WHERE version = " + EVENTS_PER_PERSON));
        Map<String, String> family = new HashMap<>();
        try (Connection connection = postgres.connect(DATABASE); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT kidc, record->>'familyNameLatin' FROM replica.person")) {
            while (rs.next()) {
                family.put(rs.getString(1), rs.getString(2));
            }
        }
        assertEquals(expectedFamily, family, "every person carries the name of their last event");
        System.out.printf("crash test: applied %d, duplicates after redelivery %d%n", counter("applied"),
                counter("duplicates"));
    }

    /** Each person: registered, then name and address changes; the last name is the expected final state. */
    private Map<String, String> publishWorkload() throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        KidcAllocator allocator = new KidcAllocator(System.nanoTime());
        List<String> kidcs = new ArrayList<>();
        for (int i = 0; i < PERSONS; i++) {
            kidcs.add(allocator.kidcAt(i, KidcKind.CITIZEN).value());
        }
        Map<String, String> expected = new HashMap<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (int sequence = 1; sequence <= EVENTS_PER_PERSON; sequence++) {
                for (int i = 0; i < PERSONS; i++) {
                    String kidc = kidcs.get(i);
                    RegistryEvent event;
                    if (sequence == 1) {
                        event = RegistryEvents.registered(kidc);
                    } else if (sequence % 2 == 0) {
                        String family = "NAME" + sequence + "X" + i;
                        event = RegistryEvents.nameChanged(kidc, sequence, family);
                        expected.put(kidc, family);
                    } else {
                        event = RegistryEvents.addressChanged(kidc, sequence, String.format("%02d", 1 + i % 25));
                    }
                    acks.add(producer.send(new ProducerRecord<>(Topics.PERSON_EVENTS, kidc, RegistryEvents.json(event))));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        return expected;
    }

    private Process start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String jar = System.getProperty("replica.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m",
                "-Dmp.messaging.incoming.person-events.max.poll.records=500", "-jar", jar);
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        if (postgres.hasPassword()) {
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        env.remove("REPLICA_SNAPSHOT_FILE");
        File log = Files.createTempFile("registry-replica-it", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        System.out.println("replica process log: " + log);
        return builder.start();
    }

    private long killOnceApplied(long threshold) throws Exception {
        waitForApplied(threshold, Duration.ofSeconds(120));
        replica.destroyForcibly().waitFor();
        long applied = counter("applied");
        System.out.printf("killed the replica with %d of %d events applied%n", applied, TOTAL);
        return applied;
    }

    private void waitForApplied(long threshold, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (replica != null && !replica.isAlive()) {
                throw new AssertionError("the replica process exited with " + replica.exitValue());
            }
            try {
                if (counter("applied") >= threshold) {
                    return;
                }
            } catch (Exception notYet) {
                // the schema is not there until the replica's first start has migrated it
            }
            Thread.sleep(10);
        }
        throw new AssertionError("fewer than " + threshold + " events applied within " + timeout);
    }

    private long counter(String name) throws Exception {
        return single("SELECT " + name + " FROM replica.replica_state WHERE id = 1");
    }

    private long single(String query) throws Exception {
        try (Connection connection = postgres.connect(DATABASE); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statementText) throws Exception {
        try (Connection connection = postgres.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute(statementText);
        }
    }
}
