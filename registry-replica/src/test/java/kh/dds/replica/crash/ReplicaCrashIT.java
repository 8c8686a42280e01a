package kh.dds.replica.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import kh.dds.localstack.LocalServices;
import kh.dds.schema.event.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replica process killed (SIGKILL) twice in the middle of the stream, and its database connections cut while it
 * works: afterwards every event the broker acknowledged is applied exactly once. Drives the packaged replica as a
 * separate process, against the same real broker and database as the other tests.
 */
class ReplicaCrashIT {

    private static final String DATABASE = "dds_replica_it";

    private final LocalServices services = LocalServices.get();
    private final ReplicaProcess replica = new ReplicaProcess(services.postgres(), DATABASE,
            services.kafkaBootstrapServers());

    @AfterEach
    void stop() {
        replica.stop();
    }

    @Test
    void everyAcknowledgedEventIsAppliedExactlyOnceAcrossKills() throws Exception {
        replica.resetDatabase();
        String topic = Topics.PERSON_EVENTS;
        services.createTopic(topic, 4, Map.of());
        services.createTopic(Topics.PERSON_EVENTS_DLQ, 1, Map.of());
        services.createTopic(Topics.PERSON_CHANGES, 4, Map.of("cleanup.policy", "compact"));
        services.createTopic(Topics.PERSON_NOTIFICATIONS, 4, Map.of());
        Workload workload = new Workload(6_000, 6);
        workload.publish(services.kafkaBootstrapServers());
        long total = workload.total();

        replica.start();
        replica.waitForApplied(total / 4, Duration.ofSeconds(120));
        long atFirstKill = replica.kill();
        replica.start();
        replica.waitForApplied(total / 2, Duration.ofSeconds(120));
        long atSecondKill = replica.kill();
        System.out.printf("killed the replica with %d, then %d of %d events applied%n", atFirstKill, atSecondKill,
                total);
        assertTrue(atFirstKill < total && atSecondKill < total,
                "the replica was killed mid-stream (applied " + atFirstKill + " and " + atSecondKill + " of " + total + ")");

        replica.start();
        // the database goes away under the replica's feet, twice: batches fail and are retried
        String cut = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE
                + "' AND pid <> pg_backend_pid()";
        replica.waitForApplied(total * 3 / 4, Duration.ofSeconds(120));
        replica.sql(cut);
        replica.waitForApplied(total * 7 / 8, Duration.ofSeconds(120));
        replica.sql(cut);
        replica.waitForApplied(total, Duration.ofSeconds(180));
        Thread.sleep(3_000);

        assertEquals(total, replica.counter("applied"), "every event applied exactly once");
        assertEquals(0, replica.counter("dead_lettered"));
        assertEquals(workload.persons, replica.counter("persons"));
        assertEquals(0, replica.single("SELECT count(*) FROM replica.held_event"));
        assertEquals(workload.persons, replica.single("SELECT count(*) FROM replica.person WHERE version = "
                + workload.eventsPerPerson));
        assertEquals(workload.expectedFamily, replica.familyNames(), "every person carries the name of their last event");
        System.out.printf("crash test: applied %d, duplicates after redelivery %d%n", replica.counter("applied"),
                replica.counter("duplicates"));
    }
}
