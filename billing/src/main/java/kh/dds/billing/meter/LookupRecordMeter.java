package kh.dds.billing.meter;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code api.lookup-records} (consumer group {@code billing-meter}) into the {@link Meter}, a batch at a
 * time. A batch's offsets become committable only after its counts committed; a batch that fails (the database away)
 * is retried with back-off until it succeeds. Killed between the two, the meter sees the batch again and counts
 * nothing twice.
 */
@ApplicationScoped
public class LookupRecordMeter {

    private static final Logger LOG = Logger.getLogger(LookupRecordMeter.class);

    private final Meter meter;

    public LookupRecordMeter(Meter meter) {
        this.meter = meter;
    }

    @Incoming("lookup-records")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<LookupRecord> records = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            records.add(LedgerExport.lookupRecord(record.getPayload()));
        }
        if (records.isEmpty()) {
            return Uni.createFrom().completionStage(batch.ack());
        }
        return meter.meter(records)
                .onFailure().invoke(e -> LOG.warnf(e, "a batch of %d lookup records could not be metered, retrying",
                        records.size()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }
}
