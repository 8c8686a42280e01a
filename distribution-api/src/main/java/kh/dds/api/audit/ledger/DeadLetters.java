package kh.dds.api.audit.ledger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Properties;
import kh.dds.api.audit.AuditConfig;
import kh.dds.schema.stream.DeadLetterTopic;
import kh.dds.schema.stream.KafkaClientSecurity;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The ledger's dead-letter topic ({@code api.ledger.dead-letter-topic}), with the audit producer's settings. */
@ApplicationScoped
public class DeadLetters {

    private final DeadLetterTopic topic;

    public DeadLetters(LedgerConfig ledger, AuditConfig audit,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Properties settings = new Properties();
        settings.putAll(KafkaClientSecurity.settings(kafka));
        settings.putAll(audit.producer());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.topic = new DeadLetterTopic(settings, ledger.deadLetterTopic(), "distribution-api-ledger-dlq",
                Infrastructure.getDefaultWorkerPool());
    }

    /** Completes once the dead-letter topic holds the record. */
    public Uni<Void> park(DeadLetterTopic.Arrived record, String reason) {
        return Uni.createFrom().completionStage(() -> topic.park(record, reason));
    }

    void close(@Observes ShutdownEvent event) {
        topic.close();
    }
}
