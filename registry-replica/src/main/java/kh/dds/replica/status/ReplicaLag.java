package kh.dds.replica.status;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kh.dds.replica.ReplicaConfig;
import kh.dds.schema.stream.KafkaClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Measures how far the replica is behind the registry: in events (log end offset minus the replica's position, per
 * partition) and in seconds (the age of the oldest event not yet applied, read from the broker at the replica's
 * position). The position is the furthest of the group's committed offset and what this instance has applied.
 */
@ApplicationScoped
public class ReplicaLag {

    private static final Logger LOG = Logger.getLogger(ReplicaLag.class);

    private final ReplicaConfig config;
    private final ReplicaMonitor monitor;
    private final String bootstrapServers;
    private final Properties security;
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> peeker;
    private volatile List<PartitionLag> partitions = List.of();

    public ReplicaLag(ReplicaConfig config, ReplicaMonitor monitor,
                      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.monitor = monitor;
        this.bootstrapServers = bootstrapServers;
        this.security = KafkaClientSecurity.settings(kafka);
    }

    @Scheduled(every = "${replica.lag-interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measure() {
        try {
            partitions = measureNow();
            long events = 0;
            long seconds = 0;
            for (PartitionLag lag : partitions) {
                events += lag.events();
                seconds = Math.max(seconds, lag.seconds());
            }
            monitor.lag(events, seconds);
        } catch (Exception e) {
            LOG.warnf("cannot measure the replica's lag: %s", e.toString());
        }
    }

    public List<PartitionLag> partitions() {
        return partitions;
    }

    private List<PartitionLag> measureNow() throws Exception {
        Admin client = admin();
        var description = client.describeTopics(List.of(config.topic())).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(config.topic());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        description.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(config.topic(), p.partition());
            latest.put(tp, OffsetSpec.latest());
            earliest.put(tp, OffsetSpec.earliest());
        });
        Map<TopicPartition, ListOffsetsResultInfo> ends = client.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = client.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(config.groupId())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<Integer, ReplicaMonitor.Position> applied = monitor.positions();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : ends.keySet()) {
            long position = starts.get(tp).offset();
            OffsetAndMetadata commit = committed.get(tp);
            if (commit != null) {
                position = Math.max(position, commit.offset());
            }
            ReplicaMonitor.Position mine = applied.get(tp.partition());
            if (mine != null) {
                position = Math.max(position, mine.nextOffset());
            }
            positions.put(tp, position);
        }
        Map<TopicPartition, Long> oldestUnapplied = timestampsAt(positions, ends);
        long now = System.currentTimeMillis();
        return ends.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(TopicPartition::partition)))
                .map(entry -> {
                    TopicPartition tp = entry.getKey();
                    long end = entry.getValue().offset();
                    long position = positions.get(tp);
                    long events = Math.max(0, end - position);
                    Long timestamp = oldestUnapplied.get(tp);
                    long seconds = events == 0 || timestamp == null ? 0 : Math.max(0, (now - timestamp) / 1000);
                    return new PartitionLag(tp.partition(), position, end, events, seconds);
                })
                .toList();
    }

    /** The broker timestamp of the record at each lagging partition's position. */
    private Map<TopicPartition, Long> timestampsAt(Map<TopicPartition, Long> positions,
                                                   Map<TopicPartition, ListOffsetsResultInfo> ends) {
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        List<TopicPartition> lagging = positions.keySet().stream()
                .filter(tp -> positions.get(tp) < ends.get(tp).offset()).toList();
        if (lagging.isEmpty()) {
            return timestamps;
        }
        KafkaConsumer<byte[], byte[]> consumer = peeker();
        consumer.assign(lagging);
        lagging.forEach(tp -> consumer.seek(tp, positions.get(tp)));
        for (int attempt = 0; attempt < 5 && timestamps.size() < lagging.size(); attempt++) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (!timestamps.containsKey(tp)) {
                    timestamps.put(tp, record.timestamp());
                    consumer.pause(List.of(tp));
                }
            }
        }
        consumer.unsubscribe();
        return timestamps;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties properties = new Properties();
            properties.putAll(security);
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "registry-replica-lag");
            admin = Admin.create(properties);
        }
        return admin;
    }

    private synchronized KafkaConsumer<byte[], byte[]> peeker() {
        if (peeker == null) {
            Properties properties = new Properties();
            properties.putAll(security);
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "registry-replica-lag-peek");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
            properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4096);
            peeker = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return peeker;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (peeker != null) {
            peeker.close(Duration.ofSeconds(2));
        }
    }

    public record PartitionLag(int partition, long position, long end, long events, long seconds) {
    }
}
