package kh.dds.replica.ingest;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kh.dds.replica.status.ReplicaMonitor;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code registry.person-events} in batches. A batch is acknowledged — and its offsets become committable —
 * only after its transaction has committed and its dead letters and change signals are acknowledged by the broker.
 * A batch that fails (the database or the broker away) is retried with back-off until it succeeds: the stream
 * waits rather than skip an event.
 */
@ApplicationScoped
public class PersonEventConsumer {

    private static final Logger LOG = Logger.getLogger(PersonEventConsumer.class);

    private final IncomingEvents incomingEvents;
    private final ReplicaUpdate update;
    private final ReplicaMonitor monitor;

    public PersonEventConsumer(IncomingEvents incomingEvents, ReplicaUpdate update, ReplicaMonitor monitor) {
        this.incomingEvents = incomingEvents;
        this.update = update;
        this.monitor = monitor;
    }

    @Incoming("person-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        List<IncomingEvent> events = new ArrayList<>(records.size());
        for (KafkaRecord<String, byte[]> record : records) {
            events.add(incomingEvents.fromRecord(record.getPayload(), record.getPartition(), offset(record)));
        }
        return update.apply(events, List.of())
                .onFailure().invoke(e -> LOG.warnf(e, "a batch of %d events failed, retrying", events.size()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(outcome -> {
                    monitor.recorded(outcome);
                    batch.getLatestOffsetRecords().forEach((partition, last) ->
                            monitor.position(partition.partition(), offset(last) + 1, last.getTimestamp().toEpochMilli()));
                })
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private static long offset(KafkaRecord<String, byte[]> record) {
        return ((IncomingKafkaRecord<String, byte[]>) record).getOffset();
    }
}
