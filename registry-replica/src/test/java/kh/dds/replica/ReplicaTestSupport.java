package kh.dds.replica;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the replica's tests do as the registry (publish events) and as an operator (read rows, counters, topics). */
public final class ReplicaTestSupport {

    public static final String TOPICS = Topics.PERSON_EVENTS + ":4;" + Topics.PERSON_EVENTS_DLQ + ":1;"
            + Topics.PERSON_CHANGES + ":4:cleanup.policy=compact;" + Topics.PERSON_NOTIFICATIONS + ":4";

    private static KafkaProducer<String, String> producer;
    private static KafkaProducer<String, byte[]> bytesProducer;

    private ReplicaTestSupport() {
    }

    public static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    LocalServicesResource.services().kafkaBootstrapServers());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** Publishes events in order, each with its KIdC as key, as the registry does. */
    public static void publish(RegistryEvent... events) {
        for (RegistryEvent event : events) {
            publishRaw(event.kidc(), RegistryEvents.json(event));
        }
    }

    /** Publishes events without waiting for each, so that the replica reads them in batches as large as it can. */
    public static void publishTogether(List<RegistryEvent> events) {
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (RegistryEvent event : events) {
            sent.add(producer().send(new ProducerRecord<>(Topics.PERSON_EVENTS, event.kidc(), RegistryEvents.json(event))));
        }
        producer().flush();
        try {
            for (var each : sent) {
                each.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void publishRaw(String key, String value) {
        try {
            producer().send(new ProducerRecord<>(Topics.PERSON_EVENTS, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes any bytes under any key (or none); returns where the record landed. */
    public static synchronized RecordMetadata publishBytes(String key, byte[] value) {
        if (bytesProducer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    LocalServicesResource.services().kafkaBootstrapServers());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            bytesProducer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        }
        try {
            return bytesProducer.send(new ProducerRecord<>(Topics.PERSON_EVENTS, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record on a topic so far, values as they are. */
    public static List<ConsumerRecord<String, byte[]>> readAllBytes(String topic) {
        return readAll(topic, new ByteArrayDeserializer());
    }

    /** Every record on a topic so far. */
    public static List<ConsumerRecord<String, String>> readAll(String topic) {
        return readAll(topic, new StringDeserializer());
    }

    private static <V> List<ConsumerRecord<String, V>> readAll(String topic, Deserializer<V> values) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServicesResource.services().kafkaBootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public static Map<String, Object> person(AgroalDataSource db, String kidc) {
        try (Connection connection = db.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT version, status, record->>'familyNameLatin' AS family, address_province, date_of_death,
                            survivor_kidc, record IS NOT NULL AS has_record
                     FROM replica.person WHERE kidc = ?""")) {
            query.setString(1, kidc);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Map.of("version", 0L);
                }
                Map<String, Object> row = new HashMap<>();
                row.put("version", rs.getLong("version"));
                row.put("status", rs.getString("status"));
                row.put("family", rs.getString("family"));
                row.put("province", rs.getString("address_province"));
                row.put("dateOfDeath", rs.getDate("date_of_death") == null ? null
                        : rs.getDate("date_of_death").toLocalDate());
                row.put("survivor", rs.getString("survivor_kidc"));
                row.put("hasRecord", rs.getBoolean("has_record"));
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long version(AgroalDataSource db, String kidc) {
        return (long) person(db, kidc).get("version");
    }

    /** A durable counter of replica_state: persons, applied, duplicates, held, dead_lettered. */
    public static long counter(AgroalDataSource db, String name) {
        try (Connection connection = db.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + name + " FROM replica.replica_state WHERE id = 1");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long heldNow(AgroalDataSource db) {
        try (Connection connection = db.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM replica.held_event");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static JsonNode json(String text) {
        try {
            return RegistryEvents.CODEC.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
