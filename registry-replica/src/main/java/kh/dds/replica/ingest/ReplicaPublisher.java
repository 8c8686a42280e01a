package kh.dds.replica.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kh.dds.replica.ReplicaConfig;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.PersonChange;
import kh.dds.schema.stream.KafkaClientSecurity;
import kh.dds.schema.text.SafeText;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the replica publishes: dead letters, change signals and life events. Every send is awaited (acks=all, idempotent producer)
 * before the batch that caused it is acknowledged, so neither is lost when the replica stops half-way.
 */
@ApplicationScoped
public class ReplicaPublisher {

    public static final String REASON = "dead-letter-reason";
    public static final String SOURCE_TOPIC = "dead-letter-topic";
    public static final String SOURCE_PARTITION = "dead-letter-partition";
    public static final String SOURCE_OFFSET = "dead-letter-offset";
    /** On a dead letter whose value had to be cut to fit the topic: the length in bytes of the value that arrived. */
    public static final String CUT_FROM = "dead-letter-cut-from";
    /** How much of a value too large for the dead-letter topic is kept. */
    static final int CUT_TO = 256 * 1024;

    private final ReplicaConfig config;
    private final ObjectMapper mapper;
    private final KafkaProducer<String, byte[]> producer;

    public ReplicaPublisher(ReplicaConfig config, @RegistryMapper ObjectMapper mapper,
                            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.mapper = mapper;
        Properties properties = new Properties();
        properties.putAll(KafkaClientSecurity.settings(kafka));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "registry-replica-publisher");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the events to the dead-letter topic with their reasons; completes when the broker has them all. A value
     * that fitted the event topic may not fit the dead-letter topic once it carries its headers (an incompressible
     * value of nearly the broker's limit): the broker refuses it for good, and retrying would stop the stream. Then
     * the letters are sent again with each large value cut to its first {@value #CUT_TO} bytes and its length in
     * {@link #CUT_FROM} (letters sent the first time are then on the topic twice: dead letters are at-least-once).
     */
    public Uni<Void> deadLetter(List<DeadLetter> letters) {
        return sendAll(deadLetterRecords(letters, false))
                .onFailure(ReplicaPublisher::tooLarge).recoverWithUni(() -> sendAll(deadLetterRecords(letters, true)));
    }

    private List<ProducerRecord<String, byte[]>> deadLetterRecords(List<DeadLetter> letters, boolean cut) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            IncomingEvent event = letter.event();
            byte[] value = event.value();
            boolean cutHere = cut && value.length > CUT_TO;
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.deadLetterTopic(), event.kidc(),
                    cutHere ? Arrays.copyOf(value, CUT_TO) : value);
            record.headers()
                    .add(new RecordHeader(REASON, utf8(letter.reason())))
                    .add(new RecordHeader(SOURCE_TOPIC, utf8(config.topic())))
                    .add(new RecordHeader(SOURCE_PARTITION, utf8(Integer.toString(event.partition()))))
                    .add(new RecordHeader(SOURCE_OFFSET, utf8(Long.toString(event.offset()))));
            if (cutHere) {
                record.headers().add(new RecordHeader(CUT_FROM, utf8(Integer.toString(value.length))));
            }
            records.add(record);
        }
        return records;
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** Signals that these persons' rows are now at the given versions. */
    public Uni<Void> changed(List<PersonChange> changes) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(changes.size());
        for (PersonChange change : changes) {
            try {
                records.add(new ProducerRecord<>(config.changeTopic(), change.kidc(), mapper.writeValueAsBytes(change)));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(e);
            }
        }
        return sendAll(records);
    }

    /** Publishes life events on the notifications topic, in the order given; completes when the broker has them. */
    public Uni<Void> lifeEvents(List<LifeEvent> events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (LifeEvent event : events) {
            try {
                records.add(new ProducerRecord<>(config.lifeEventTopic(), event.kidc(), mapper.writeValueAsBytes(event)));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(e);
            }
        }
        return sendAll(records);
    }

    private Uni<Void> sendAll(List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            int[] pending = {records.size()};
            boolean[] failed = {false};
            for (ProducerRecord<String, byte[]> record : records) {
                try {
                    producer.send(record, (metadata, error) -> {
                        synchronized (pending) {
                            if (failed[0]) {
                                return;
                            }
                            if (error != null) {
                                failed[0] = true;
                                emitter.fail(error);
                            } else if (--pending[0] == 0) {
                                emitter.complete(null);
                            }
                        }
                    });
                } catch (RuntimeException e) {
                    synchronized (pending) {
                        if (!failed[0]) {
                            failed[0] = true;
                            emitter.fail(e);
                        }
                    }
                    return;
                }
            }
        });
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }

    /**
     * An event for the dead-letter topic and why it could not be applied. The reason is kept safe for a Kafka header
     * and a log line whatever it quotes (a database's message may quote the value it refused): control characters
     * escaped, cut to {@value #MAX_REASON} characters.
     */
    public record DeadLetter(IncomingEvent event, String reason) {

        public static final int MAX_REASON = 500;

        public DeadLetter {
            reason = SafeText.escaped(reason, MAX_REASON);
        }
    }
}
