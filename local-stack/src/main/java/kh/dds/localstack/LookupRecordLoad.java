package kh.dds.localstack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lookup records for the audit ledger's benchmark, as the API writes them (keyed by lookup id, the shared JSON):
 *
 * <pre>
 * LookupRecordLoad publish --bootstrap-servers B --topic T --count N [--contracts 20] [--seed 1] [--from INSTANT]
 * LookupRecordLoad drain   --bootstrap-servers B --topic T --count N
 * </pre>
 * {@code publish} sends {@code N} records (a mix of answered verifications and lookups and refused calls, over
 * {@code --contracts} contracts, times spread over the hour from {@code --from}, by default the last hour) and prints the rate; {@code drain} is the
 * baseline the ledger writer is measured against: a plain consumer of a fresh group that reads and parses the same
 * {@code N} records and does nothing else, and prints its rate. Each prints one line of {@code key=value} fields.
 */
public final class LookupRecordLoad {

    private static final String USAGE = "usage: LookupRecordLoad publish|drain --bootstrap-servers HOST:PORT "
            + "--topic NAME --count N [--contracts 20] [--seed 1] [--from INSTANT]";

    private LookupRecordLoad() {
    }

    public static void main(String[] args) {
        Options.run("LookupRecordLoad", () -> {
            if (args.length == 0) {
                throw new Options.UsageException(USAGE);
            }
            Options options = Options.parse(java.util.Arrays.copyOfRange(args, 1, args.length), USAGE);
            String bootstrap = options.required("bootstrap-servers");
            String topic = options.required("topic");
            long count = Long.parseLong(options.required("count"));
            switch (args[0]) {
                case "publish" -> publish(bootstrap, topic, count,
                        Integer.parseInt(options.optional("contracts", "20")),
                        Long.parseLong(options.optional("seed", "1")),
                        Instant.parse(options.optional("from", Instant.now().minus(Duration.ofHours(1)).toString())));
                case "drain" -> drain(bootstrap, topic, count);
                default -> throw new Options.UsageException("unknown command " + args[0] + "\n" + USAGE);
            }
        });
    }

    private static void publish(String bootstrap, String topic, long count, int contractCount, long seed,
                                Instant first) throws Exception {
        Random random = new Random(seed);
        String[] contracts = new String[contractCount];
        for (int i = 0; i < contractCount; i++) {
            contracts[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        String[] subjects = new String[10_000];
        for (int i = 0; i < subjects.length; i++) {
            subjects[i] = Kidc.random(random, KidcKind.CITIZEN).value();
        }
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long spacingNanos = Math.max(1, Duration.ofHours(1).toNanos() / Math.max(1, count));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                Instant at = first.plusNanos(i * spacingNanos);
                int kind = random.nextInt(100);
                boolean lookup = kind < 10;
                boolean refused = kind >= 95;
                UUID id = timeOrdered(at, random);
                LookupRecord record = new LookupRecord(id.toString(), at, contracts[random.nextInt(contractCount)],
                        "cl-bench-" + random.nextInt(50), "teller-" + random.nextInt(500), "KYC_ACCOUNT_OPENING",
                        lookup ? Product.LOOKUP : Product.VERIFY, subjects[random.nextInt(subjects.length)],
                        refused ? "REFUSED" : "ANSWERED", refused ? "unknown-purpose" : lookup ? null : "MATCH",
                        lookup && !refused ? List.of("familyName", "givenName") : List.of(), refused ? 403 : 200,
                        !refused, 800 + random.nextInt(4_000));
                producer.send(new ProducerRecord<>(topic, record.lookupId(), LedgerExport.JSON.writeValueAsBytes(record)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        report("published", count, start);
    }

    private static void drain(String bootstrap, String topic, long count) throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-drain-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        long read = 0;
        long start = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long idleSince = System.nanoTime();
            while (read < count) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    if (System.nanoTime() - idleSince > Duration.ofSeconds(60).toNanos()) {
                        throw new IllegalStateException("only " + read + " of " + count + " records on " + topic);
                    }
                    continue;
                }
                if (start == 0) {
                    start = System.nanoTime();
                }
                idleSince = System.nanoTime();
                for (var record : records) {
                    LedgerExport.lookupRecord(record.value());
                    read++;
                }
            }
        }
        report("drained", read, start);
    }

    /** A UUIDv7 of {@code at}: 48 bits of milliseconds, version 7, random bits, variant 2. */
    private static UUID timeOrdered(Instant at, Random random) {
        long high = (at.toEpochMilli() << 16) | 0x7000L | (random.nextInt() & 0x0fffL);
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static void report(String what, long records, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.println(String.format(Locale.ROOT, "%s=%d seconds=%.1f rate=%.0f", what, records, seconds,
                records / seconds));
    }
}
