package kh.dds.schema.stream;

import java.util.Map;
import java.util.Properties;

/**
 * How a service's Kafka clients authenticate: the {@code security.protocol}, {@code sasl.*} and {@code ssl.*}
 * settings of the service's Kafka configuration (Quarkus gathers every {@code kafka.*} setting and {@code KAFKA_*}
 * variable into the map it publishes as {@code @Identifier("default-kafka-broker")}). The channels get them from
 * Quarkus; the producers, consumers and admin clients a service builds itself (the audit trail, dead-letter topics,
 * the change signal, the lag probe) take them from here, so that on a broker that demands credentials (k8s/: SASL
 * with per-service principals and ACLs) no client of the service is left without them. On a plaintext broker (the
 * local run, the tests) there are none and nothing changes.
 */
public final class KafkaClientSecurity {

    private KafkaClientSecurity() {
    }

    /** The security settings of {@code kafkaConfig}, as client properties; empty when it has none. */
    public static Properties settings(Map<String, ?> kafkaConfig) {
        Properties settings = new Properties();
        kafkaConfig.forEach((name, value) -> {
            if (value != null && isSecurity(name)) {
                settings.put(name, value.toString());
            }
        });
        return settings;
    }

    private static boolean isSecurity(String name) {
        return name.equals("security.protocol") || name.startsWith("sasl.") || name.startsWith("ssl.");
    }
}
