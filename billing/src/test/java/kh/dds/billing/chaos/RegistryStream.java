package kh.dds.billing.chaos;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kh.dds.schema.event.Address;
import kh.dds.schema.event.EventPayload;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.Place;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.schema.kidc.KidcAllocator;
import kh.dds.schema.kidc.KidcKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's side of a crash test: a fixed set of persons, each registered, then changed again and again (name
 * and address in turn), published as the registry does (acks=all, idempotent, one person's events in order on one
 * partition). It keeps, per person, how many events the broker acknowledged: what the replica owes.
 */
final class RegistryStream implements AutoCloseable {

    private static final RegistryEventCodec CODEC = new RegistryEventCodec();

    private final String topic;
    private final List<String> persons;
    private final KafkaProducer<String, String> producer;
    private final Map<String, Long> published = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();
    private int next;

    RegistryStream(String bootstrapServers, String topic, int persons) {
        this.topic = topic;
        KidcAllocator allocator = new KidcAllocator(System.nanoTime());
        this.persons = java.util.stream.LongStream.range(0, persons)
                .mapToObj(i -> allocator.kidcAt(i, KidcKind.CITIZEN).value()).toList();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        this.persons.forEach(kidc -> acknowledged.put(kidc, new AtomicLong()));
    }

    List<String> persons() {
        return persons;
    }

    /** Every person's registration (sequence 1), acknowledged before it returns. */
    void registerAll() throws Exception {
        for (String kidc : persons) {
            send(kidc);
        }
        producer.flush();
    }

    /** The next person's next change, round robin; the broker's acknowledgement arrives later. */
    void changeNext() {
        send(persons.get(next++ % persons.size()));
    }

    void flush() {
        producer.flush();
    }

    /** Events the broker acknowledged, per person. */
    Map<String, Long> acknowledged() {
        Map<String, Long> counts = new java.util.HashMap<>();
        acknowledged.forEach((kidc, count) -> counts.put(kidc, count.get()));
        return counts;
    }

    long acknowledgedTotal() {
        return acknowledged.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long publishedTotal() {
        return published.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Sends the broker refused or gave up on; a person's later events would wait for ever behind such a gap. */
    long failed() {
        return failed.get();
    }

    private void send(String kidc) {
        long sequence = published.merge(kidc, 1L, Long::sum);
        producer.send(new ProducerRecord<>(topic, kidc, CODEC.encode(event(kidc, sequence))), (metadata, error) -> {
            if (error == null) {
                acknowledged.get(kidc).incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        });
    }

    private static RegistryEvent event(String kidc, long sequence) {
        Instant at = Instant.now();
        String id = UUID.randomUUID().toString();
        if (sequence == 1) {
            return new RegistryEvent(id, EventType.PersonRegistered, kidc, 1, at, new EventPayload.PersonRecord(
                    "សុខ", "ដារ៉ា", "SOK", "DARA", "M", "1990-05-17", new Place("12", "1201", "120101"), "KHM", "KHM",
                    "SINGLE", List.of(), List.of(), new Address("12", "1201", "120101", "12010101"),
                    List.of(new IdentityDocument("NATIONAL_ID", "0" + kidc.substring(2), LocalDate.of(2020, 1, 15),
                            LocalDate.of(2030, 1, 14), IdentityDocument.VALID))));
        }
        if (sequence % 2 == 0) {
            return new RegistryEvent(id, EventType.NameChanged, kidc, sequence, at,
                    new EventPayload.NameChange("សុខ", "ដារ៉ា", "SOK", "DARA"));
        }
        String province = String.format("%02d", 1 + (int) (sequence % 25));
        return new RegistryEvent(id, EventType.AddressChanged, kidc, sequence, at,
                new EventPayload.AddressChange(new Address(province, null, null, null)));
    }

    @Override
    public void close() {
        producer.close();
    }
}
