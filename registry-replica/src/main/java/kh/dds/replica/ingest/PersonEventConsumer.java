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
 * only after its transactions have committed and its dead letters and change signals are acknowledged by the broker.
 * A batch that fails (the database or the broker away) is retried with back-off until it succeeds: the stream
 * waits rather than skip an event. An event the database refuses is isolated and dead-lettered
 * ({@link PoisonIsolation}); should even that fail, the batch is retried from the start (what already committed is
 * then seen as duplicates) rather than skipped.
 */
@ApplicationScoped
public class PersonEventConsumer {

    private static final Logger LOG = Logger.getLogger(PersonEventConsumer.class);

    private final IncomingEvents incomingEvents;
    private final PoisonIsolation isolation;
    private final ReplicaMonitor monitor;

    public PersonEventConsumer(IncomingEvents incomingEvents, PoisonIsolation isolation, ReplicaMonitor monitor) {
        this.incomingEvents = incomingEvents;
        this.isolation = isolation;
        this.monitor = monitor;
    }

    @Incoming("person-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        List<IncomingEvent> events = new ArrayList<>(records.size());
        for (KafkaRecord<String, byte[]> record : records) {
            events.add(incomingEvents.fromRecord(record.getKey(), record.getPayload(), record.getPartition(), offset(record)));
        }
        return Uni.createFrom().deferred(() -> isolation.apply(events))
                .onFailure().invoke(e -> LOG.errorf(e, "a batch of %d events failed, retrying", events.size()))
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
