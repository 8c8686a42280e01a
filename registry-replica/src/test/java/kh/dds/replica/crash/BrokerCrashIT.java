package kh.dds.replica.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kh.dds.localstack.KafkaBrokerProcess;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.event.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker killed (SIGKILL) while the registry publishes and the replica applies, then restarted on the same data:
 * every event the broker acknowledged to the registry is applied exactly once.
 */
class BrokerCrashIT {

    private static final String DATABASE = "dds_replica_broker_it";

    private KafkaBrokerProcess broker;
    private ReplicaProcess replica;

    @AfterEach
    void stop() throws Exception {
        if (replica != null) {
            replica.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyAcknowledgedEventIsAppliedExactlyOnceAcrossABrokerCrash() throws Exception {
        broker = KafkaBrokerProcess.startNew(Files.createTempDirectory("kafka-broker-it"));
        KafkaTopics.ensure(broker.bootstrapServers(), List.of(TopicSpec.parse(Topics.PERSON_EVENTS + ":4"),
                TopicSpec.parse(Topics.PERSON_EVENTS_DLQ + ":1"),
                TopicSpec.parse(Topics.PERSON_CHANGES + ":4:cleanup.policy=compact"),
                TopicSpec.parse(Topics.PERSON_NOTIFICATIONS + ":4")));
        replica = new ReplicaProcess(LocalServices.get().postgres(), DATABASE, broker.bootstrapServers());
        replica.resetDatabase();
        replica.start();
        // one person first, so that the replica is up and consuming before the paced stream starts
        Workload warmUp = new Workload(1, 1);
        warmUp.publish(broker.bootstrapServers());
        replica.waitForApplied(1, Duration.ofSeconds(120));

        Workload workload = new Workload(4_000, 6);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            try {
                workload.publish(broker.bootstrapServers(), 2_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long total = workload.total() + warmUp.total();
        // once the replica is applying, while the registry is still publishing
        replica.waitForApplied(2_000, Duration.ofSeconds(120));
        broker.kill();
        long atKill = replica.counter("applied");
        long acknowledgedAtKill = workload.acknowledged.get();
        System.out.printf("killed the broker with %d of %d events acknowledged, %d applied%n",
                acknowledgedAtKill, total, atKill);
        Thread.sleep(3_000);
        broker.start();

        publishing.get();
        assertEquals(workload.total(), workload.acknowledged.get(), "the registry's producer got every event through");
        assertTrue(atKill < total && acknowledgedAtKill < total,
                "the broker died while the registry published and the replica applied");
        replica.waitForApplied(total, Duration.ofSeconds(240));
        Thread.sleep(3_000);

        assertEquals(total, replica.counter("applied"), "every acknowledged event applied exactly once");
        assertEquals(0, replica.counter("dead_lettered"));
        assertEquals(0, replica.single("SELECT count(*) FROM replica.held_event"));
        assertEquals(workload.persons, replica.single("SELECT count(*) FROM replica.person WHERE version = "
                + workload.eventsPerPerson));
        var expected = new java.util.HashMap<>(workload.expectedFamily);
        replica.familyNames().keySet().stream().filter(k -> !expected.containsKey(k))
                .forEach(k -> expected.put(k, "SOK")); // the warm-up person, registered once
        assertEquals(expected, replica.familyNames());
    }
}
