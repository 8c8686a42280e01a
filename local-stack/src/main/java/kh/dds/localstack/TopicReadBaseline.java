package kh.dds.localstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A benchmark baseline: reads a whole topic as fast as a plain consumer can, touching nothing else, and prints the
 * records per second. What a consumer that does real work per record (such as the replica) is measured against.
 *
 * <pre>TopicReadBaseline --bootstrap-servers localhost:9092 --topic registry.person-events</pre>
 */
public final class TopicReadBaseline {

    private TopicReadBaseline() {
    }

    private static final String USAGE = "usage: TopicReadBaseline --bootstrap-servers HOST:PORT --topic NAME";

    public static void main(String[] args) {
        Options.run("TopicReadBaseline", () -> read(Options.parse(args, USAGE)));
    }

    private static void read(Options options) {
        String bootstrap = options.required("bootstrap-servers");
        String topic = options.required("topic");
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            long total = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
            long read = 0;
            long bytes = 0;
            long started = System.nanoTime();
            while (read < total) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (var record : records) {
                    read++;
                    bytes += record.value() == null ? 0 : record.value().length;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("read %d records (%d MB) of %s in %.2f s: %.0f records/s%n", read, bytes >> 20, topic,
                    seconds, read / seconds);
        }
    }
}
