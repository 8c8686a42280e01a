package kh.dds.billing.meter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.stream.BatchIsolation;
import kh.dds.schema.stream.DeadLetterTopic;
import kh.dds.schema.stream.KafkaClientSecurity;
import kh.dds.schema.stream.StoreFailures;
import kh.dds.schema.text.SafeText;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code api.lookup-records} (consumer group {@code billing-meter}) into the {@link Meter}, a batch at a
 * time. A batch's offsets become committable only after its counts committed; a batch that fails because the database
 * is away is retried with back-off until it succeeds. Killed between the two, the meter sees the batch again and
 * counts nothing twice.
 *
 * <p>No record can stop it (SPEC §4): one that cannot be read, or that the database refuses, is parked on
 * {@code billing.dead-letter-topic} with the reason ({@link BatchIsolation}) and the rest is metered. Such a record
 * is never billed; the audit ledger quarantines it too, and reconciliation shows the API's own count apart from the
 * metered one if the call was billable.
 */
@ApplicationScoped
public class LookupRecordMeter {

    private static final Logger LOG = Logger.getLogger(LookupRecordMeter.class);

    private final DeadLetterTopic deadLetters;
    private final BatchIsolation<Arrival> isolation;
    private final Counter parked;

    /** A record off the topic: what arrived, and what could be read of it ({@code null} when nothing). */
    record Arrival(DeadLetterTopic.Arrived raw, LookupRecord record, String unreadable) {
    }

    public LookupRecordMeter(Meter meter, MeterRegistry registry,
                             @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                             @ConfigProperty(name = "billing.dead-letter-topic",
                                     defaultValue = "api.lookup-records.billing-dlq") String deadLetterTopic,
                             @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Properties settings = KafkaClientSecurity.settings(kafka);
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.deadLetters = new DeadLetterTopic(settings, deadLetterTopic, "billing-meter-dlq",
                Infrastructure.getDefaultWorkerPool());
        this.parked = registry.counter("billing.metered.records", "result", "dead-lettered");
        this.isolation = new BatchIsolation<>(
                arrivals -> meter.meter(arrivals.stream().map(Arrival::record).toList())
                        .replaceWithVoid().subscribeAsCompletionStage(),
                failure -> StoreFailures.isPoison(failure, e -> e instanceof PgException pg ? pg.getSqlState() : null),
                (arrival, failure) -> park(arrival, failure.toString()).subscribeAsCompletionStage());
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
            setAside = setAside.chain(() -> park(arrival, arrival.unreadable()));
        }
        return setAside
                .chain(() -> Uni.createFrom().completionStage(() -> isolation.write(readable)))
                .onFailure().invoke(e -> LOG.warnf(e, "a batch of %d lookup records could not be metered, retrying",
                        readable.size() + unreadable.size()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private static Arrival arrival(IncomingKafkaRecord<String, byte[]> record) {
        byte[] value = record.getPayload() == null ? new byte[0] : record.getPayload();
        DeadLetterTopic.Arrived raw = new DeadLetterTopic.Arrived(record.getTopic(), record.getPartition(),
                record.getOffset(), record.getKey(), value);
        try {
            return new Arrival(raw, LedgerExport.lookupRecord(value), null);
        } catch (IllegalArgumentException e) {
            return new Arrival(raw, null, e.getMessage());
        }
    }

    private Uni<Void> park(Arrival arrival, String reason) {
        DeadLetterTopic.Arrived raw = arrival.raw();
        LOG.errorf("lookup record at %s-%d@%d not metered, dead-lettered: %s", raw.topic(), raw.partition(),
                raw.offset(), SafeText.escaped(reason, DeadLetterTopic.MAX_REASON));
        return Uni.createFrom().completionStage(() -> deadLetters.park(raw, reason)).invoke(() -> parked.increment());
    }

    void close(@Observes ShutdownEvent event) {
        deadLetters.close();
    }
}
