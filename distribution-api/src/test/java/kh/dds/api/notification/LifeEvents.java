package kh.dds.api.notification;

import java.time.Instant;
import java.util.Properties;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.LifeEventType;
import kh.dds.schema.event.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The notification tests as the replica: life events on {@code registry.person-notifications}. */
final class LifeEvents {

    private static KafkaProducer<String, String> producer;

    private LifeEvents() {
    }

    static LifeEvent event(String kidc, long sequence, LifeEventType type, String survivor) {
        Instant at = Instant.parse("2026-12-01T08:00:00Z").plusSeconds(sequence);
        return LifeEvent.of(kidc, sequence, type, at, at, survivor);
    }

    static String json(LifeEvent event) {
        return "{\"eventId\":\"" + event.eventId() + "\",\"kidc\":\"" + event.kidc() + "\",\"sequence\":"
                + event.sequence() + ",\"type\":\"" + event.type() + "\",\"occurredAt\":\"" + event.occurredAt()
                + "\",\"dataAsOf\":\"" + event.dataAsOf() + "\""
                + (event.survivorKidc() == null ? "" : ",\"survivorKidc\":\"" + event.survivorKidc() + "\"") + "}";
    }

    static synchronized void publish(LifeEvent... events) {
        if (producer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    LocalServicesResource.services().kafkaBootstrapServers());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        }
        try {
            for (LifeEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.PERSON_NOTIFICATIONS, event.kidc(), json(event))).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
