package kh.dds.schema.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import kh.dds.schema.text.SafeText;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A consumer's dead-letter topic: a record it cannot hold is parked there byte for byte as it arrived, with where it
 * came from and why in its headers ({@code dlq-topic}, {@code dlq-partition}, {@code dlq-offset}, {@code dlq-reason}),
 * durably ({@code acks=all}, idempotent) before the consumer commits past it. The reason names the problem; it is
 * {@linkplain SafeText#escaped escaped} and cut, so that it never carries the hostile input itself.
 */
public final class DeadLetterTopic implements AutoCloseable {

    /** A reason is cut to this many characters. */
    public static final int MAX_REASON = 500;

    /** A record as it came off its topic. */
    public record Arrived(String topic, int partition, long offset, String key, byte[] value) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Executor sender;

    /**
     * @param settings producer settings (bootstrap servers, security); durability settings are set here
     * @param sender   where {@code send} runs: it may wait for the broker's metadata, so never an event loop
     */
    public DeadLetterTopic(Properties settings, String topic, String clientId, Executor sender) {
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.sender = sender;
    }

    public String topic() {
        return topic;
    }

    /** Completes once the dead-letter topic holds the record. */
    public CompletionStage<Void> park(Arrived record, String reason) {
        ProducerRecord<byte[], byte[]> parked = new ProducerRecord<>(topic, null,
                record.key() == null ? null : bytes(record.key()), record.value());
        parked.headers().add("dlq-topic", bytes(record.topic()))
                .add("dlq-partition", bytes(Integer.toString(record.partition())))
                .add("dlq-offset", bytes(Long.toString(record.offset())))
                .add("dlq-reason", bytes(SafeText.escaped(reason, MAX_REASON)));
        CompletableFuture<Void> durable = new CompletableFuture<>();
        sender.execute(() -> {
            try {
                producer.send(parked, (metadata, error) -> {
                    if (error == null) {
                        durable.complete(null);
                    } else {
                        durable.completeExceptionally(error);
                    }
                });
            } catch (RuntimeException e) {
                durable.completeExceptionally(e);
            }
        });
        return durable;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
