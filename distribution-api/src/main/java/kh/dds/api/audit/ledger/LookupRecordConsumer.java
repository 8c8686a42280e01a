package kh.dds.api.audit.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.text.SafeText;
import kh.dds.schema.stream.BatchIsolation;
import kh.dds.schema.stream.DeadLetterTopic;
import kh.dds.schema.stream.StoreFailures;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code api.lookup-records} into the audit ledger, a batch at a time. A batch is acknowledged — its offsets
 * become committable — only after its transaction committed. A batch that fails because the database is away is
 * retried with back-off until it succeeds, so the ledger waits rather than skip a record.
 *
 * <p>No record can stop it (SPEC §4). A record that cannot be read, or whose values the database refuses, is set
 * aside ({@link BatchIsolation}): parked as it arrived on {@code api.ledger.dead-letter-topic} with the reason, and
 * <em>quarantined</em> in the ledger — an entry of its lane with outcome {@value #QUARANTINED}, its lookup id (the
 * record's key when that is one), its contract and product where they could be read, and as decision the SHA-256 of
 * the bytes that arrived — so that the ledger still accounts for every record it was sent, and its chains verify.
 * A record whose product cannot be read is quarantined in its partition's lane below 1000 (the lanes that mix
 * products) and stored with product {@code VERIFY}.
 */
@ApplicationScoped
public class LookupRecordConsumer {

    /** The outcome of a quarantined entry. */
    public static final String QUARANTINED = "QUARANTINED";

    private static final Logger LOG = Logger.getLogger(LookupRecordConsumer.class);
    private static final String NIL_UUID = new UUID(0, 0).toString();

    private final AuditLedger ledger;
    private final DeadLetters deadLetters;
    private final BatchIsolation<Arrival> isolation;
    private final Counter quarantined;

    public LookupRecordConsumer(AuditLedger ledger, DeadLetters deadLetters, MeterRegistry registry) {
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.quarantined = registry.counter("api.ledger.records", "result", "quarantined");
        this.isolation = new BatchIsolation<>(
                arrivals -> ledger.append(arrivals.stream().map(Arrival::laneRecord).toList())
                        .replaceWithVoid().subscribeAsCompletionStage(),
                LookupRecordConsumer::isPoison,
                (arrival, failure) -> quarantine(arrival, failure.toString()).subscribeAsCompletionStage());
    }

    /** A record off the topic, and what could be read of it. */
    record Arrival(DeadLetterTopic.Arrived raw, Instant timestamp, LookupRecord record, String unreadable) {

        LaneRecord laneRecord() {
            return new LaneRecord(raw.partition(), raw.offset(), record);
        }
    }

    @Incoming("lookup-records")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<Arrival> readable = new ArrayList<>(batch.getRecords().size());
        List<Arrival> unreadable = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            Arrival arrival = arrival((IncomingKafkaRecord<String, byte[]>) record);
            (arrival.unreadable() == null ? readable : unreadable).add(arrival);
        }
        if (readable.isEmpty() && unreadable.isEmpty()) {
            return Uni.createFrom().completionStage(batch.ack());
        }
        Uni<Void> setAside = Uni.createFrom().voidItem();
        for (Arrival arrival : unreadable) {
            setAside = setAside.chain(() -> quarantine(arrival, arrival.unreadable()));
        }
        return setAside
                .chain(() -> Uni.createFrom().completionStage(() -> isolation.write(readable)))
                .onFailure().invoke(e -> LOG.warnf(e, "a batch of %d lookup records could not be written to the "
                        + "ledger, retrying", readable.size() + unreadable.size()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private static Arrival arrival(IncomingKafkaRecord<String, byte[]> record) {
        byte[] value = record.getPayload() == null ? new byte[0] : record.getPayload();
        DeadLetterTopic.Arrived raw = new DeadLetterTopic.Arrived(record.getTopic(), record.getPartition(), record.getOffset(),
                record.getKey(), value);
        Instant timestamp = record.getTimestamp() == null ? Instant.now() : record.getTimestamp();
        try {
            LookupRecord read = LedgerExport.lookupRecord(value);
            if (read.contractId() == null) {
                return new Arrival(raw, timestamp, read, "a lookup record without a contract");
            }
            return new Arrival(raw, timestamp, read, null);
        } catch (IllegalArgumentException e) {
            return new Arrival(raw, timestamp, null, e.getMessage());
        }
    }

    /** See {@link StoreFailures#isPoison}. */
    static boolean isPoison(Throwable failure) {
        return StoreFailures.isPoison(failure, e -> e instanceof PgException pg ? pg.getSqlState() : null);
    }

    /** Parks the record on the dead-letter topic, then chains its quarantined entry (both redone harmlessly). */
    private Uni<Void> quarantine(Arrival arrival, String reason) {
        DeadLetterTopic.Arrived raw = arrival.raw();
        LOG.errorf("lookup record at %s-%d@%d quarantined: %s", raw.topic(), raw.partition(), raw.offset(),
                SafeText.escaped(reason, DeadLetterTopic.MAX_REASON));
        LaneRecord entry = quarantinedEntry(arrival);
        return deadLetters.park(raw, reason)
                .chain(() -> ledger.append(List.of(entry)))
                .invoke(() -> quarantined.increment())
                .replaceWithVoid();
    }

    /** What the ledger keeps of a record it cannot hold: nothing the record said beyond its ids and product. */
    static LaneRecord quarantinedEntry(Arrival arrival) {
        LookupRecord read = arrival.record();
        DeadLetterTopic.Arrived raw = arrival.raw();
        String lookupId = read != null ? read.lookupId()
                : LedgerExport.isUuid(raw.key()) ? raw.key()
                : UUID.nameUUIDFromBytes((raw.topic() + "/" + raw.partition() + "/" + raw.offset())
                        .getBytes(StandardCharsets.UTF_8)).toString();
        Instant at = (read != null ? read.occurredAt() : arrival.timestamp()).truncatedTo(ChronoUnit.MICROS);
        String contract = read != null && read.contractId() != null ? read.contractId() : NIL_UUID;
        Product product = read != null ? read.product() : Product.VERIFY;
        LookupRecord entry = new LookupRecord(lookupId, at, contract, "", null, null, product, null, QUARANTINED,
                "sha256:" + sha256(raw.value()), List.of(), 0, false, 0);
        // which product an unreadable record was is not known: the partition's lane that mixes products
        return read == null ? new LaneRecord(raw.partition(), raw.offset(), entry, raw.partition())
                : new LaneRecord(raw.partition(), raw.offset(), entry);
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
