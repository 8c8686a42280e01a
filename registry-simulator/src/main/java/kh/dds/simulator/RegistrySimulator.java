package kh.dds.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.schema.event.Topics;
import kh.dds.simulator.Arguments.UsageException;
import kh.dds.simulator.claims.BulkCsv;
import kh.dds.simulator.claims.ClaimMix;
import kh.dds.simulator.claims.VerificationClaims;
import kh.dds.simulator.delivery.DiscardingSink;
import kh.dds.simulator.delivery.EventSink;
import kh.dds.simulator.delivery.KafkaEventSink;
import kh.dds.simulator.delivery.NdjsonFileSink;
import kh.dds.simulator.population.Population;
import kh.dds.simulator.publish.RegistrationPublisher;
import kh.dds.simulator.snapshot.SnapshotWriter;
import kh.dds.simulator.stream.EventMix;
import kh.dds.simulator.stream.LedgerFile;
import kh.dds.simulator.stream.LifeEvents;
import kh.dds.simulator.stream.RegistryLedger;
import kh.dds.simulator.stream.StreamRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry simulator's command line: {@code snapshot}, {@code publish}, {@code stream} and {@code claims} over
 * one deterministic synthetic population (same {@code --seed}, {@code --persons} and {@code --reference-date} → same
 * people).
 */
public final class RegistrySimulator {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrySimulator.class);

    static final long DEFAULT_PERSONS = 100_000;
    static final long DEFAULT_SEED = 1;
    static final String DEFAULT_PURPOSE = "KYC_ACCOUNT_OPENING";
    private static final Set<String> FLAGS = Set.of("dry-run", "help");

    static final String USAGE = """
            usage: RegistrySimulator <command> [options]

            commands:
              snapshot   write the population as a gzip NDJSON snapshot for the replica's bulk load
                           --out FILE                     (required) e.g. population.ndjson.gz
              publish    publish one PersonRegistered (sequence 1) per person
              stream     publish a paced stream of life events about the population
                           --rate R                       events per second, 0 = as fast as possible (default 1000)
                           --duration SECONDS | --events COUNT   when to stop (default: on SIGTERM / Ctrl-C)
                           --state FILE                   resume from FILE if it exists; save to it every few
                                                          seconds and on exit
                           --state-interval SECONDS       how often the state is saved (default 5)
                           --mix SPEC                     Type=weight,... over the event types, or 'default':
                                                          %s
                           --malformed-per-million K      deliberately malformed events, for the dead-letter
                                                          path (default 0)
              claims     write verification request bodies about the population (NDJSON, one a line), for load tests
                           --out FILE                     (required) e.g. claims.ndjson
                           --count N                      requests (default 200000)
                           --mix MATCH,PARTIAL,MISMATCH   weights of matching, partly matching and mismatching
                                                          claims (default %s)
                           --purpose P                    the purpose every request names (default %s)
              bulk-csv   write a bulk verification request (SPEC 4.3: CSV with a header row), a beneficiary roll
                         built from the same claims, with bad lines among them
                           --out FILE                     (required) e.g. roll.csv
                           --count N                      lines (default 10000)
                           --bad-per-thousand K           bad lines a thousand: wrong check digit, impossible
                                                          date, a KIdC never issued (default 30)

            population (every command; the same values give the same people):
              --persons N                  persons of the initial population (default 100000, at most 50000000)
              --seed S                     (default 1)
              --reference-date YYYY-MM-DD  the day the population is as of; ages and dates count from it
                                           (default %s)

            where publish and stream send events:
              --bootstrap-servers HOST:PORT  Kafka (required unless --out or --dry-run)
              --topic NAME                   (default %s)
              --compression TYPE             lz4, zstd, gzip, snappy or none (default lz4)
              --partitions P                 partitions when the topic has to be created (default 6)
              --replication-factor F         replication factor when it has to be created (default 1)
              --out FILE                     write NDJSON events to FILE instead (gzip if it ends in .gz)
              --dry-run                      generate and encode, send nowhere (measures the generator)

            java -cp "$(cat registry-simulator/target/classpath.txt):registry-simulator/target/classes" \\
                 kh.dds.simulator.RegistrySimulator snapshot --persons 100000 --seed 1 --out /tmp/population.ndjson.gz
            """.formatted(EventMix.DEFAULT_SPEC, ClaimMix.DEFAULT_SPEC, DEFAULT_PURPOSE, Population.DEFAULT_REFERENCE_DATE,
            Topics.PERSON_EVENTS);

    private RegistrySimulator() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream console) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            console.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Arguments arguments = new Arguments(args, 1, FLAGS);
            return switch (args[0]) {
                case "snapshot" -> snapshot(arguments);
                case "publish" -> publish(arguments);
                case "stream" -> stream(arguments);
                case "claims" -> claims(arguments);
                case "bulk-csv" -> bulkCsv(arguments);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            console.println("registry-simulator: " + e.getMessage());
            console.println();
            console.print(USAGE);
            return 2;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            LOG.error("{}", e.getMessage());
            return 1;
        }
    }

    // ---------------------------------------------------------------- population

    private record PopulationOptions(long seed, int persons, LocalDate referenceDate) {
    }

    private static PopulationOptions populationOptions(Arguments arguments) {
        return new PopulationOptions(
                arguments.number("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
                (int) arguments.number("persons", DEFAULT_PERSONS, 1, Population.MAX_SIZE),
                arguments.date("reference-date", Population.DEFAULT_REFERENCE_DATE));
    }

    private static Population population(PopulationOptions options) {
        long start = System.nanoTime();
        Population population = new Population(options.seed(), options.persons(), options.referenceDate());
        LOG.info("population of {} persons (seed {}, as of {}) with {} parent-child links built in {} s",
                String.format("%,d", population.size()), population.seed(), population.referenceDate(),
                String.format("%,d", population.linkCount()), seconds(start));
        return population;
    }

    private static String seconds(long startNanos) {
        return String.format("%.2f", (System.nanoTime() - startNanos) / 1e9);
    }

    // ---------------------------------------------------------------- snapshot

    private static int snapshot(Arguments arguments) throws IOException {
        PopulationOptions options = populationOptions(arguments);
        Path out = Path.of(arguments.required("out"));
        arguments.rejectUnused();
        Population population = population(options);
        long start = System.nanoTime();
        long[] nextReport = {start + 5_000_000_000L};
        new SnapshotWriter(population, new RegistryEventCodec()).write(out, written -> {
            long now = System.nanoTime();
            if (now >= nextReport[0]) {
                LOG.info("snapshot: {} of {} persons written", written, population.size());
                nextReport[0] = now + 5_000_000_000L;
            }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        LOG.info("snapshot {} written: {} persons, {} bytes, in {} s ({} persons/s)", out,
                String.format("%,d", population.size()), String.format("%,d", Files.size(out)),
                String.format("%.2f", elapsed), String.format("%,.0f", population.size() / elapsed));
        return 0;
    }

    // ---------------------------------------------------------------- publish

    private static int publish(Arguments arguments) throws IOException {
        PopulationOptions options = populationOptions(arguments);
        SinkOptions sinkOptions = sinkOptions(arguments);
        arguments.rejectUnused();
        Population population = population(options);
        RegistrationPublisher publisher = new RegistrationPublisher(population, new RegistryEventCodec());
        try (EventSink sink = openSink(sinkOptions)) {
            LOG.info("publishing {} PersonRegistered events to {}", String.format("%,d", population.size()),
                    sink.describe());
            long start = System.nanoTime();
            long[] nextReport = {start + 5_000_000_000L};
            publisher.publish(sink, sent -> {
                long now = System.nanoTime();
                if (now >= nextReport[0]) {
                    LOG.info("published {} of {} (acked {}), {} events/s so far", sent, population.size(),
                            sink.acknowledged(), String.format("%,.0f", sent * 1e9 / (now - start)));
                    nextReport[0] = now + 5_000_000_000L;
                }
            });
            long sentAt = System.nanoTime();
            sink.flush();
            long ackedAt = System.nanoTime();
            if (sink.failure() != null) {
                LOG.error("publishing failed after {} acknowledged events: {}", sink.acknowledged(),
                        sink.failure().toString());
                return 1;
            }
            double elapsed = (ackedAt - start) / 1e9;
            LOG.info("published {} events, all {} acknowledged, in {} s: {} events/s (last ack {} ms after the "
                            + "last send)", String.format("%,d", sink.sent()),
                    String.format("%,d", sink.acknowledged()), String.format("%.2f", elapsed),
                    String.format("%,.0f", sink.sent() / elapsed), (ackedAt - sentAt) / 1_000_000);
            return 0;
        }
    }

    // ---------------------------------------------------------------- stream

    private static int stream(Arguments arguments) throws IOException {
        PopulationOptions options = populationOptions(arguments);
        SinkOptions sinkOptions = sinkOptions(arguments);
        double rate = arguments.decimal("rate", 1000, 0);
        Duration duration = arguments.seconds("duration", null);
        long maxEvents = arguments.number("events", 0, 1, Long.MAX_VALUE);
        if (duration != null && maxEvents > 0) {
            throw new UsageException("give --duration or --events, not both");
        }
        Path stateFile = arguments.path("state");
        Duration stateInterval = arguments.seconds("state-interval", Duration.ofSeconds(5));
        EventMix mix = EventMix.parse(arguments.text("mix", "default"));
        int malformed = (int) arguments.number("malformed-per-million", 0, 0, 1_000_000);
        arguments.rejectUnused();

        Population population = population(options);
        RegistryLedger ledger;
        String referenceDate = options.referenceDate().toString();
        if (stateFile != null && Files.exists(stateFile)) {
            ledger = LedgerFile.load(stateFile, options.seed(), options.persons(), referenceDate);
            LOG.info("resuming from {}: next event #{}, {} persons", stateFile, ledger.nextEvent(), ledger.size());
        } else {
            ledger = new RegistryLedger(options.seed(), options.persons());
        }
        LifeEvents events = new LifeEvents(population, ledger, mix, malformed, new RegistryEventCodec(),
                Clock.systemUTC());
        LOG.info("event mix: {}{}", mix, malformed > 0 ? ", malformed per million: " + malformed : "");
        EventSink sink = openSink(sinkOptions);
        return new StreamRun(events, sink, rate, maxEvents, duration, stateFile, stateInterval, referenceDate).run();
    }

    // ---------------------------------------------------------------- claims

    private static int claims(Arguments arguments) throws IOException {
        PopulationOptions options = populationOptions(arguments);
        Path out = Path.of(arguments.required("out"));
        long count = arguments.number("count", 200_000, 1, 1_000_000_000);
        ClaimMix mix;
        try {
            mix = ClaimMix.parse(arguments.text("mix", ClaimMix.DEFAULT_SPEC));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String purpose = arguments.text("purpose", DEFAULT_PURPOSE);
        arguments.rejectUnused();
        Population population = population(options);
        VerificationClaims claims = new VerificationClaims(population, mix, purpose);
        long start = System.nanoTime();
        long[] kinds = new long[ClaimMix.ClaimKind.values().length];
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            for (long n = 0; n < count; n++) {
                VerificationClaims.Claim claim = claims.claim(n);
                kinds[claim.kind().ordinal()]++;
                writer.write(claim.body());
                writer.write('\n');
            }
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("claims {} written: {} requests (match {}, partial {}, mismatch {}; mix {}), {} bytes, in {} s", out,
                String.format("%,d", count), kinds[0], kinds[1], kinds[2], mix, String.format("%,d", Files.size(out)),
                seconds(start));
        return 0;
    }

    private static int bulkCsv(Arguments arguments) throws IOException {
        PopulationOptions options = populationOptions(arguments);
        Path out = Path.of(arguments.required("out"));
        long count = arguments.number("count", 10_000, 1, 100_000_000);
        int bad = (int) arguments.number("bad-per-thousand", 30, 0, 1000);
        arguments.rejectUnused();
        Population population = population(options);
        BulkCsv roll = new BulkCsv(new VerificationClaims(population, ClaimMix.parse(ClaimMix.DEFAULT_SPEC),
                DEFAULT_PURPOSE), options.seed(), bad);
        long[] kinds = new long[BulkCsv.RowKind.values().length];
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            writer.write(BulkCsv.HEADER);
            writer.write("\r\n");
            for (long n = 0; n < count; n++) {
                BulkCsv.Row row = roll.row(n);
                kinds[row.kind().ordinal()]++;
                writer.write(row.line());
                writer.write("\r\n");
            }
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        StringBuilder mix = new StringBuilder();
        for (BulkCsv.RowKind kind : BulkCsv.RowKind.values()) {
            mix.append(mix.isEmpty() ? "" : ", ").append(kind.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(kinds[kind.ordinal()]);
        }
        LOG.info("bulk request {} written: {} lines ({})", out, String.format("%,d", count), mix);
        System.out.println(mix);
        return 0;
    }

    // ---------------------------------------------------------------- sinks

    private record SinkOptions(String bootstrapServers, String topic, String compression, int partitions,
                               short replicationFactor, Path out, boolean dryRun) {
    }

    private static SinkOptions sinkOptions(Arguments arguments) {
        SinkOptions options = new SinkOptions(
                arguments.text("bootstrap-servers", null),
                arguments.text("topic", Topics.PERSON_EVENTS),
                arguments.text("compression", "lz4"),
                (int) arguments.number("partitions", 6, 1, 10_000),
                (short) arguments.number("replication-factor", 1, 1, Short.MAX_VALUE),
                arguments.path("out"),
                arguments.flag("dry-run"));
        int targets = (options.bootstrapServers() != null ? 1 : 0) + (options.out() != null ? 1 : 0)
                + (options.dryRun() ? 1 : 0);
        if (targets != 1) {
            throw new UsageException("give exactly one of --bootstrap-servers, --out and --dry-run");
        }
        if (!Set.of("lz4", "zstd", "gzip", "snappy", "none").contains(options.compression())) {
            throw new UsageException("--compression must be lz4, zstd, gzip, snappy or none");
        }
        return options;
    }

    private static EventSink openSink(SinkOptions options) throws IOException {
        if (options.dryRun()) {
            return new DiscardingSink();
        }
        if (options.out() != null) {
            return new NdjsonFileSink(options.out());
        }
        KafkaEventSink.ensureTopic(options.bootstrapServers(), options.topic(), options.partitions(),
                options.replicationFactor());
        return new KafkaEventSink(options.bootstrapServers(), options.topic(), options.compression());
    }
}
