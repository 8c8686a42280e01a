package kh.dds.api.audit.ledger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
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
 * Follows {@code api.lookup-records} into the audit ledger, a batch at a time. A batch is acknowledged — its offsets
 * become committable — only after its transaction committed; a failing batch (the database away) is retried with
 * back-off until it succeeds, so the ledger waits rather than skip a record. A record that cannot be read at all is
 * a bug of the API (it wrote it): the batch fails and the consumer stops, loudly, rather than drop an audit record.
 */
@ApplicationScoped
public class LookupRecordConsumer {

    private static final Logger LOG = Logger.getLogger(LookupRecordConsumer.class);

    private final AuditLedger ledger;

    public LookupRecordConsumer(AuditLedger ledger) {
        this.ledger = ledger;
    }

    @Incoming("lookup-records")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<LaneRecord> records = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            records.add(new LaneRecord(record.getPartition(), ((IncomingKafkaRecord<String, byte[]>) record).getOffset(),
                    LedgerExport.lookupRecord(record.getPayload())));
        }
        if (records.isEmpty()) {
            return Uni.createFrom().completionStage(batch.ack());
        }
        return ledger.append(records)
                .onFailure().invoke(e -> LOG.warnf(e, "a batch of %d lookup records could not be written to the "
                        + "ledger, retrying", records.size()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }
}
