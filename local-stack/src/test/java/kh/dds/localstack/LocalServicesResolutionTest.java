package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A server that was configured explicitly and does not answer is an error, not a reason to start another. */
class LocalServicesResolutionTest {

    @Test
    void configuredPostgresThatDoesNotAnswerIsAnError() throws IOException {
        int closed = LocalServices.freePort();
        try (LocalServices services = new LocalServices(Settings.of(Map.of("DDS_PG_PORT", Integer.toString(closed))),
                false)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, services::postgres);
            assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
            assertTrue(e.getMessage().contains("DDS_EMBEDDED=1"), e.getMessage());
        }
    }

    @Test
    void configuredRedisThatDoesNotAnswerIsAnError() throws IOException {
        int closed = LocalServices.freePort();
        try (LocalServices services = new LocalServices(
                Settings.of(Map.of("DDS_REDIS_HOST", "127.0.0.1", "DDS_REDIS_PORT", Integer.toString(closed))), false)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, services::redis);
            assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
        }
    }

    @Test
    void configuredKafkaIsUsedAsGiven() {
        try (LocalServices services = new LocalServices(
                Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")), false)) {
            assertEquals("kafka-1:9092,kafka-2:9092", services.kafkaBootstrapServers());
            assertTrue(services.kafkaBroker().isEmpty());
        }
    }

    @Test
    void blankSettingsCountAsUnset() {
        Settings settings = Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "));
        assertTrue(settings.find("KAFKA_BOOTSTRAP_SERVERS").isEmpty());
    }

    @Test
    void topicSpecsParse() {
        TopicSpec spec = TopicSpec.parse("registry.person-changes:12:cleanup.policy=compact,min.insync.replicas=1");
        assertEquals("registry.person-changes", spec.name());
        assertEquals(12, spec.partitions());
        assertEquals(Map.of("cleanup.policy", "compact", "min.insync.replicas", "1"), spec.configs());
        assertEquals(Map.of(), TopicSpec.parse("registry.person-events.dlq:3").configs());
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.parse("no-partitions"));
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.parse("zero:0"));
    }
}
