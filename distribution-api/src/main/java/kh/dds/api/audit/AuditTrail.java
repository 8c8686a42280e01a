package kh.dds.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kh.dds.api.concurrent.Contexts;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.stream.KafkaClientSecurity;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes each lookup record durable before its call is answered (SPEC §4.6): a Kafka producer with {@code acks=all}
 * and idempotence, whose acknowledgement every call awaits. A record the broker does not acknowledge within
 * {@code api.audit.delivery-timeout} fails the call closed ({@code 503}); the producer has given up on it by then,
 * so no record becomes durable after its call was refused. Records are keyed by lookup id, which the ledger and
 * billing de-duplicate on.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper mapper;
    private final String topic;
    /**
     * {@code send} may block on metadata or a full buffer while the broker is slow or away: never on the event loop.
     * The queue is bounded, and a record that waited in it past {@link #startBy} is refused without being sent, so
     * that a slow broker fails calls within seconds ({@code 503}) instead of piling them up — and a record whose call
     * was refused can never be sent afterwards.
     */
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(SENDER_QUEUE), runnable -> {
                Thread thread = new Thread(runnable, "audit-trail-sender");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
    /** Records waiting for a sender thread, at most (a few seconds of the node's peak rate). */
    static final int SENDER_QUEUE = 20_000;
    /** How long a record may wait for a sender thread: half the delivery timeout, the rest is the broker's. */
    private final long startBy;
    private final Counter written;
    private final Counter failed;

    public AuditTrail(AuditConfig config, ObjectMapper mapper, MeterRegistry registry,
                      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.mapper = mapper;
        this.topic = config.topic();
        Properties properties = new Properties();
        properties.putAll(KafkaClientSecurity.settings(kafka));
        properties.putAll(config.producer());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
        int delivery = (int) config.deliveryTimeout().toMillis();
        int linger = (int) config.linger().toMillis();
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, delivery - linger - 100));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1000, delivery / 2));
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "distribution-api-audit");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        this.startBy = config.deliveryTimeout().toNanos() / 2;
        this.written = registry.counter("api.audit.records", "result", "durable");
        this.failed = registry.counter("api.audit.records", "result", "failed");
    }

    /** Completes once the broker has acknowledged the record (every in-sync replica has it); fails otherwise. */
    public Uni<Void> append(LookupRecord record) {
        byte[] value;
        try {
            value = mapper.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        long queued = System.nanoTime();
        Uni<Void> acknowledged = Uni.createFrom().<Void>emitter(emitter -> {
            if (System.nanoTime() - queued > startBy) {
                failed.increment();
                emitter.fail(new TimeoutException("the audit sender was busy past its deadline; not sent"));
                return;
            }
            try {
                producer.send(new ProducerRecord<>(topic, record.lookupId(), value), (metadata, error) -> {
                    if (error == null) {
                        written.increment();
                        emitter.complete(null);
                    } else {
                        failed.increment();
                        emitter.fail(error);
                    }
                });
            } catch (RuntimeException e) {
                failed.increment();
                emitter.fail(e);
            }
        }).runSubscriptionOn(sender);
        return Contexts.resumeHere(acknowledged)
                .onFailure().invoke(e -> LOG.warnf("lookup record %s not durable: %s", record.lookupId(), e.toString()));
    }

    /**
     * Many records (a bulk chunk's): completes once the broker has acknowledged every one, fails at the first that it
     * does not. They are handed to the producer by one sender task, in slices of {@link #APPEND_SLICE} so that an
     * interactive call's record never waits behind a whole chunk for a sender thread.
     */
    public Uni<Void> appendAll(List<LookupRecord> records) {
        List<Uni<Void>> slices = new ArrayList<>();
        for (int from = 0; from < records.size(); from += APPEND_SLICE) {
            slices.add(appendSlice(records.subList(from, Math.min(records.size(), from + APPEND_SLICE))));
        }
        if (slices.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(slices).andFailFast().replaceWithVoid();
    }

    /** Records handed to the producer by one sender task. */
    static final int APPEND_SLICE = 250;

    private Uni<Void> appendSlice(List<LookupRecord> records) {
        List<byte[]> values = new ArrayList<>(records.size());
        for (LookupRecord record : records) {
            try {
                values.add(mapper.writeValueAsBytes(record));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(e);
            }
        }
        long queued = System.nanoTime();
        Uni<Void> acknowledged = Uni.createFrom().<Void>emitter(emitter -> {
            if (System.nanoTime() - queued > startBy) {
                failed.increment(records.size());
                emitter.fail(new TimeoutException("the audit sender was busy past its deadline; not sent"));
                return;
            }
            AtomicInteger waiting = new AtomicInteger(records.size());
            AtomicBoolean ended = new AtomicBoolean();
            for (int i = 0; i < records.size() && !ended.get(); i++) {
                try {
                    producer.send(new ProducerRecord<>(topic, records.get(i).lookupId(), values.get(i)),
                            (metadata, error) -> {
                                if (error == null) {
                                    written.increment();
                                    if (waiting.decrementAndGet() == 0 && ended.compareAndSet(false, true)) {
                                        emitter.complete(null);
                                    }
                                } else {
                                    failed.increment();
                                    if (ended.compareAndSet(false, true)) {
                                        emitter.fail(error);
                                    }
                                }
                            });
                } catch (RuntimeException e) {
                    failed.increment();
                    if (ended.compareAndSet(false, true)) {
                        emitter.fail(e);
                    }
                }
            }
        }).runSubscriptionOn(sender);
        return Contexts.resumeHere(acknowledged)
                .onFailure().invoke(e -> LOG.warnf("%d lookup records not all durable: %s", records.size(),
                        e.toString()));
    }

    /**
     * Opens the producer's connection and reads the topic's metadata, so that the first calls after a start do not
     * all wait for it (see {@link kh.dds.api.http.Warmup}); on a sender thread, as {@code send} would.
     */
    public Uni<Integer> connect() {
        return Uni.createFrom().item(() -> producer.partitionsFor(topic).size()).runSubscriptionOn(sender);
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5));
        sender.shutdown();
    }
}
