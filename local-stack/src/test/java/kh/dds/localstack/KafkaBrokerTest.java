package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aProducedRecordIsReadBack() throws Exception {
        broker.createTopic("local-stack.round-trip", 3, Map.of());

        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
            sent = producer.send(new ProducerRecord<>("local-stack.round-trip", "kidc-1", "{\"event\":\"born\"}"))
                    .get(30, TimeUnit.SECONDS);
        }
        assertTrue(sent.offset() >= 0);

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps())) {
            consumer.subscribe(List.of("local-stack.round-trip"));
            Instant deadline = Instant.now().plusSeconds(30);
            while (received.isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertEquals(1, received.size());
        assertEquals("kidc-1", received.get(0).key());
        assertEquals("{\"event\":\"born\"}", received.get(0).value());
        assertEquals(sent.partition(), received.get(0).partition());
    }

    @Test
    void createTopicAppliesPartitionsAndConfigsAndIsIdempotent() throws Exception {
        broker.createTopic("local-stack.changes", 6, Map.of("cleanup.policy", "compact"));
        broker.createTopic("local-stack.changes", 6, Map.of("cleanup.policy", "compact"));
        broker.createTopic("local-stack.changes", 8, Map.of());

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            TopicDescription topic = admin.describeTopics(List.of("local-stack.changes")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("local-stack.changes");
            assertEquals(8, topic.partitions().size());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "local-stack.changes");
            String policy = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                    .get(resource).get("cleanup.policy").value();
            assertEquals("compact", policy);
        }
    }

    @Test
    void bootstrapServersIsALoopbackAddress() {
        String bootstrap = broker.bootstrapServers();
        assertFalse(bootstrap.contains(","), bootstrap);
        assertTrue(bootstrap.startsWith("localhost:") || bootstrap.startsWith("127.0.0.1:"), bootstrap);
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-test");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }
}
