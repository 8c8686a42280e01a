package kh.dds.schema.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    @Test
    void theSecuritySettingsAndNothingElse() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", "kafka-bootstrap:9092");
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.put("ssl.truststore.location", "/etc/kafka/truststore.p12");
        config.put("group.id", "billing-meter");
        config.put("acks", "all");

        Properties settings = KafkaClientSecurity.settings(config);

        assertEquals(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/truststore.p12"), Map.copyOf(settings));
    }

    @Test
    void aPlaintextBrokerNeedsNone() {
        assertTrue(KafkaClientSecurity.settings(Map.of("bootstrap.servers", "127.0.0.1:9092")).isEmpty());
    }
}
