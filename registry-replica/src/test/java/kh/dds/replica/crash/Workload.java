package kh.dds.replica.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * The registry's side of a crash test: each person registered, then alternating name and address changes. The last
 * name change is the person's expected final name. Published as the registry does (acks=all, idempotent).
 */
final class Workload {

    final int persons;
    final int eventsPerPerson;
    final Map<String, String> expectedFamily = new HashMap<>();
    final AtomicLong acknowledged = new AtomicLong();

    Workload(int persons, int eventsPerPerson) {
        this.persons = persons;
        this.eventsPerPerson = eventsPerPerson;
    }

    long total() {
        return (long) persons * eventsPerPerson;
    }

    /** Publishes everything as fast as it goes; returns once every event is acknowledged by the broker. */
    void publish(String bootstrapServers) throws Exception {
        publish(bootstrapServers, 0);
    }

    /**
     * Publishes everything at about {@code perSecond} events a second (0: as fast as it goes); returns once every
     * event is acknowledged by the broker.
     */
    void publish(String bootstrapServers, int perSecond) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // the registry keeps retrying through a broker outage
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
        KidcAllocator allocator = new KidcAllocator(System.nanoTime());
        List<String> kidcs = new ArrayList<>();
        for (int i = 0; i < persons; i++) {
            kidcs.add(allocator.kidcAt(i, KidcKind.CITIZEN).value());
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (int sequence = 1; sequence <= eventsPerPerson; sequence++) {
                for (int i = 0; i < persons; i++) {
                    String kidc = kidcs.get(i);
                    RegistryEvent event;
                    if (sequence == 1) {
                        event = RegistryEvents.registered(kidc);
                    } else if (sequence % 2 == 0) {
                        String family = "NAME" + sequence + "X" + i;
                        event = RegistryEvents.nameChanged(kidc, sequence, family);
                        expectedFamily.put(kidc, family);
                    } else {
                        event = RegistryEvents.addressChanged(kidc, sequence, String.format("%02d", 1 + i % 25));
                    }
                    acks.add(producer.send(new ProducerRecord<>(Topics.PERSON_EVENTS, kidc, RegistryEvents.json(event)),
                            (metadata, error) -> {
                                if (error == null) {
                                    acknowledged.incrementAndGet();
                                }
                            }));
                    if (perSecond > 0) {
                        long due = started + acks.size() * 1_000_000_000L / perSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }
}
