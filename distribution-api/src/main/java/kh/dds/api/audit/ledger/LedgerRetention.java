package kh.dds.api.audit.ledger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import kh.dds.api.call.LookupIds;
import kh.dds.api.concurrent.Contexts;
import kh.dds.schema.ledger.Checkpoint;
import kh.dds.schema.ledger.Lanes;
import kh.dds.schema.ledger.LedgerArchive;
import kh.dds.schema.ledger.LedgerEntry;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.ledger.LedgerHash;
import kh.dds.schema.ledger.Removal;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * Retention per product (SPEC §4.6): {@code api.ledger.retention.<PRODUCT>=P7Y} keeps a product's records for that
 * long after the end of their month (a product not named is kept for ever). An expired month of a product is, in one
 * transaction, under a lock that holds every other node off:
 * <ol>
 *   <li>read under a {@code SHARE} lock on its partition (nothing can be added to it meanwhile), its runs of entries
 *       found per lane with the hashes on each side;</li>
 *   <li>archived — header, the checkpoints around the runs, every entry — to a gzip file in
 *       {@code api.ledger.archive-directory}, written aside, synced, then moved into place;</li>
 *   <li>recorded as a {@link Removal} chained in lane {@link Lanes#RETENTION}, naming the runs and the archive's
 *       SHA-256;</li>
 *   <li>dropped (the partition, whole: no {@code DELETE}, no bloat).</li>
 * </ol>
 * A failure anywhere rolls all of it back; an archive left by a rolled-back attempt is rewritten by the next. Then
 * the retention lane is checkpointed. Runs daily ({@code api.ledger.retention-cron}) and on
 * {@code POST /v1/admin/ledger/retention}.
 */
@ApplicationScoped
public class LedgerRetention {

    private static final Logger LOG = Logger.getLogger(LedgerRetention.class);
    private static final int PAGE = 5_000;
    private static final long LOCK = 7305202;
    /** The shortest retention accepted: a month must be closed, invoiced and past every replay of its records. */
    private static final Period SHORTEST = Period.ofMonths(1);
    private static final Pattern MONTH_PARTITION = Pattern.compile("lookup_record_y(\\d{4})m(\\d{2})_([a-z_]+)");

    private static final String PARTITIONS = """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'audit.lookup_record'::regclass)""";
    private static final String REMOVED = "SELECT 1 FROM audit.removal WHERE month = $1 AND product = $2";
    /** Runs of consecutive sequence numbers per lane (gaps and islands), with the hashes at either end. */
    private static final String RUNS = """
            WITH island AS (
                SELECT lane, seq, seq - row_number() OVER (PARTITION BY lane ORDER BY seq) AS island FROM %1$s),
            run AS (SELECT lane, min(seq) AS seq_from, max(seq) AS seq_to FROM island GROUP BY lane, island)
            SELECT run.lane, run.seq_from, run.seq_to, f.prev_hash, t.hash FROM run
            JOIN %1$s f ON f.lane = run.lane AND f.seq = run.seq_from
            JOIN %1$s t ON t.lane = run.lane AND t.seq = run.seq_to
            ORDER BY run.lane, run.seq_from""";
    /** The checkpoints of each run's lane from the one just before it to the first at or after its end. */
    private static final String AROUND = """
            SELECT DISTINCT c.lane, c.seq, c.head_hash, c.records, c.at, c.key_id, c.signature
            FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS r(lane, seq_from, seq_to)
            JOIN audit.checkpoint c ON c.lane = r.lane AND c.seq >= r.seq_from - 1
                AND c.seq <= coalesce((SELECT min(n.seq) FROM audit.checkpoint n
                                       WHERE n.lane = r.lane AND n.seq >= r.seq_to), r.seq_to)
            ORDER BY c.lane, c.seq""";
    private static final String PAGE_QUERY = """
            SELECT * FROM %s WHERE (lane, seq) > ($1, $2) ORDER BY lane, seq LIMIT $3""";
    private static final String INSERT = """
            INSERT INTO audit.removal (seq, removal_id, removed_at, product, month, retention, records, run_lane,
                run_from, run_to, run_prev_hash, run_last_hash, archive, archive_sha256, prev_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)""";
    private static final String MOVE_HEAD = """
            UPDATE audit.lane SET seq = $2, head_hash = $3, updated_at = now() WHERE lane = $1""";
    private static final String LIST = "SELECT * FROM audit.removal ORDER BY seq";

    private final Pool pool;
    private final LedgerCheckpoints checkpoints;
    private final LedgerConfig config;

    public LedgerRetention(Pool pool, LedgerCheckpoints checkpoints, LedgerConfig config) {
        this.pool = pool;
        this.checkpoints = checkpoints;
        this.config = config;
    }

    /** A retention setting that cannot be read stops the start, rather than a removal years later. */
    void validate(@Observes StartupEvent event) {
        Map<Product, Period> periods = periods();
        if (!periods.isEmpty()) {
            LOG.infof("ledger retention after the end of each month: %s; archives in %s", periods,
                    config.archiveDirectory());
        }
    }

    @Scheduled(cron = "${api.ledger.retention-cron}", timeZone = "Asia/Phnom_Penh",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return expire(Instant.now()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf(e, "ledger retention did not run to the end; it is tried again "
                        + "at its next time"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The retention period of each product that has one. */
    public Map<Product, Period> periods() {
        Map<Product, Period> periods = new EnumMap<>(Product.class);
        config.retention().forEach((name, value) -> {
            Product product;
            Period period;
            try {
                product = Product.valueOf(name.toUpperCase(Locale.ROOT));
                period = Period.parse(value);
            } catch (RuntimeException e) {
                throw new IllegalStateException("api.ledger.retention." + name + "=" + value
                        + ": a product and an ISO-8601 period (P7Y, P18M) are expected", e);
            }
            if (LocalDate.EPOCH.plus(period).isBefore(LocalDate.EPOCH.plus(SHORTEST))) {
                throw new IllegalStateException("api.ledger.retention." + name + "=" + value + " is shorter than "
                        + SHORTEST + ": a month must be closed and past every replay of its records first");
            }
            periods.put(product, period);
        });
        return periods;
    }

    /** Whether {@code month} has expired, at {@code now}, under {@code period}. */
    static boolean expired(YearMonth month, Period period, Instant now) {
        return !PhnomPenh.startOf(month.plusMonths(1).atDay(1).plus(period)).isAfter(now);
    }

    /** A product's month whose retention has passed. */
    private record Due(YearMonth month, Product product, Period period) {
    }

    /** Archives and removes every expired month of every product with a retention period; the removals made. */
    public Uni<List<Removal>> expire(Instant now) {
        Map<Product, Period> periods = periods();
        if (periods.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.query(PARTITIONS).execute().chain(rows -> {
            List<Due> due = new ArrayList<>();
            for (Row row : rows) {
                Matcher name = MONTH_PARTITION.matcher(row.getString("relname"));
                if (name.matches()) {
                    YearMonth month = YearMonth.of(Integer.parseInt(name.group(1)), Integer.parseInt(name.group(2)));
                    Product product = Product.valueOf(name.group(3).toUpperCase(Locale.ROOT));
                    Period period = periods.get(product);
                    if (period != null && expired(month, period, now)) {
                        due.add(new Due(month, product, period));
                    }
                }
            }
            due.sort(java.util.Comparator.comparing(Due::month).thenComparing(Due::product));
            return Multi.createFrom().iterable(due)
                    .onItem().transformToUniAndConcatenate(d -> remove(d.month(), d.product(), d.period(), now))
                    .filter(removal -> removal != null)
                    .collect().asList();
        }).call(removals -> removals.isEmpty() ? Uni.createFrom().voidItem()
                : checkpoints.checkpoint(Lanes.RETENTION).replaceWithVoid());
    }

    private Uni<Removal> remove(YearMonth month, Product product, Period period, Instant now) {
        String partition = AuditLedger.partitionName(month, product);
        String removalId = LookupIds.next(now.toEpochMilli()).toString();
        Instant removedAt = now.truncatedTo(ChronoUnit.MICROS);
        Tuple which = Tuple.of(month.atDay(1), product.name());
        return pool.withTransaction(connection -> connection.query("SELECT pg_advisory_xact_lock(" + LOCK + ")")
                .execute()
                .chain(() -> connection.preparedQuery(REMOVED).execute(which))
                .chain(removed -> {
                    if (removed.size() > 0) {
                        return Uni.createFrom().nullItem();
                    }
                    return connection.query("LOCK TABLE " + partition + " IN SHARE MODE").execute()
                            .chain(() -> connection.query(String.format(RUNS, partition)).execute())
                            .chain(rows -> {
                                List<Removal.Run> runs = new ArrayList<>();
                                long records = 0;
                                for (Row row : rows) {
                                    Removal.Run run = new Removal.Run(row.getShort("lane"), row.getLong("seq_from"),
                                            row.getLong("seq_to"), row.getBuffer("prev_hash").getBytes(),
                                            row.getBuffer("hash").getBytes());
                                    runs.add(run);
                                    records += run.length();
                                }
                                Removal.Content planned = new Removal.Content(removalId, removedAt, product, month,
                                        period.toString(), records, runs, "", "");
                                return records == 0
                                        ? connection.query("DROP TABLE " + partition).execute().replaceWith(
                                                (Removal) null)
                                        : archive(connection, partition, planned)
                                                .chain(archived -> record(connection, archived))
                                                .call(() -> connection.query("DROP TABLE " + partition).execute());
                            });
                }))
                .invoke(removal -> {
                    if (removal != null) {
                        LOG.infof("ledger retention: %s of %s (%d records, retention %s) archived to %s and removed",
                                month, product, removal.content().records(), period, removal.content().archive());
                    }
                });
    }

    /** Writes the archive; the removal's content, naming it and its SHA-256. */
    private Uni<Removal.Content> archive(SqlConnection connection, String partition, Removal.Content planned) {
        String name = LedgerArchive.fileName(planned);
        Path directory = Path.of(config.archiveDirectory());
        Path file = directory.resolve(name);
        Path partial = directory.resolve(name + ".partial");
        List<Removal.Run> runs = planned.runs();
        Tuple around = Tuple.of(runs.stream().map(r -> (short) r.lane()).toArray(Short[]::new),
                runs.stream().map(Removal.Run::seqFrom).toArray(Long[]::new),
                runs.stream().map(Removal.Run::seqTo).toArray(Long[]::new));
        return connection.preparedQuery(AROUND).execute(around).chain(signed -> {
            Archive out = new Archive(partial);
            return blocking(() -> {
                out.open(directory);
                out.line(LedgerArchive.header(planned));
                for (Row row : signed) {
                    out.line(LedgerArchive.line(LedgerCheckpoints.checkpoint(row)));
                }
                return null;
            }).chain(() -> entries(connection, partition, out))
                    .chain(written -> blocking(() -> {
                        String sha256 = out.close();
                        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        if (written != planned.records()) {
                            throw new IllegalStateException("archived " + written + " entries of " + partition
                                    + ", expected " + planned.records());
                        }
                        return new Removal.Content(planned.removalId(), planned.removedAt(), planned.product(),
                                planned.month(), planned.retention(), planned.records(), planned.runs(), name, sha256);
                    }))
                    .onFailure().call(e -> blocking(() -> {
                        out.abandon();
                        return null;
                    }));
        });
    }

    /** Every entry of the partition, by lane and sequence, into the archive; how many. */
    private Uni<Long> entries(SqlConnection connection, String partition, Archive out) {
        String query = String.format(PAGE_QUERY, partition);
        long[] after = {Short.MIN_VALUE, 0, 0};
        return Multi.createBy().repeating().uni(() -> after, position -> connection.preparedQuery(query)
                        .execute(Tuple.of((short) position[0], position[1], PAGE))
                        .chain(rows -> blocking(() -> {
                            List<LedgerEntry> entries = AuditLedger.entries(rows);
                            for (LedgerEntry entry : entries) {
                                out.line(LedgerExport.line(entry));
                            }
                            if (!entries.isEmpty()) {
                                LedgerEntry last = entries.get(entries.size() - 1);
                                position[0] = last.lane();
                                position[1] = last.seq();
                                position[2] += entries.size();
                            }
                            return entries.size();
                        })))
                .whilst(written -> written == PAGE)
                .collect().last()
                .map(ignored -> after[2]);
    }

    /** Chains the removal onto the retention lane, its head locked as the writer locks any lane's. */
    private static Uni<Removal> record(SqlConnection connection, Removal.Content content) {
        short lane = (short) Lanes.RETENTION;
        return AuditLedger.lockLanes(connection, new Short[] {lane})
                .chain(heads -> {
                    AuditLedger.LaneHead head = heads.get(Lanes.RETENTION);
                    Removal removal = Removal.chain(head.seq() + 1, content, head.hash());
                    List<Removal.Run> runs = content.runs();
                    Object[] values = {removal.seq(), java.util.UUID.fromString(content.removalId()),
                            content.removedAt().atOffset(ZoneOffset.UTC), content.product().name(),
                            content.month().atDay(1), content.retention(), content.records(),
                            runs.stream().map(r -> (short) r.lane()).toArray(Short[]::new),
                            runs.stream().map(Removal.Run::seqFrom).toArray(Long[]::new),
                            runs.stream().map(Removal.Run::seqTo).toArray(Long[]::new),
                            runs.stream().map(r -> Buffer.buffer(r.prevHash())).toArray(Buffer[]::new),
                            runs.stream().map(r -> Buffer.buffer(r.lastHash())).toArray(Buffer[]::new),
                            content.archive(), Buffer.buffer(LedgerHash.fromHex(content.archiveSha256())),
                            Buffer.buffer(removal.prevHash()), Buffer.buffer(removal.hash())};
                    return connection.preparedQuery(INSERT).execute(Tuple.from(values))
                            .chain(() -> connection.preparedQuery(MOVE_HEAD).execute(Tuple.of(lane, removal.seq(),
                                    Buffer.buffer(removal.hash()))))
                            .replaceWith(removal);
                });
    }

    /** Every removal, in the order of its lane. */
    public Uni<List<Removal>> list() {
        return pool.query(LIST).execute().map(LedgerRetention::removals);
    }

    static List<Removal> removals(RowSet<Row> rows) {
        List<Removal> removals = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Short[] lanes = row.getArrayOfShorts("run_lane");
            Long[] from = row.getArrayOfLongs("run_from");
            Long[] to = row.getArrayOfLongs("run_to");
            Buffer[] prev = row.get(Buffer[].class, "run_prev_hash");
            Buffer[] last = row.get(Buffer[].class, "run_last_hash");
            List<Removal.Run> runs = new ArrayList<>(lanes.length);
            for (int i = 0; i < lanes.length; i++) {
                runs.add(new Removal.Run(lanes[i], from[i], to[i], prev[i].getBytes(), last[i].getBytes()));
            }
            Removal.Content content = new Removal.Content(row.getUUID("removal_id").toString(),
                    row.getOffsetDateTime("removed_at").toInstant(), Product.valueOf(row.getString("product")),
                    YearMonth.from(row.getLocalDate("month")), row.getString("retention"), row.getLong("records"),
                    runs, row.getString("archive"), LedgerHash.hex(row.getBuffer("archive_sha256").getBytes()));
            removals.add(new Removal(row.getLong("seq"), content, row.getBuffer("prev_hash").getBytes(),
                    row.getBuffer("hash").getBytes()));
        }
        return removals;
    }

    private interface Blocking<T> {
        T run() throws IOException;
    }

    /** File work off the event loop, the result back on the caller's context (the transaction's connection). */
    private static <T> Uni<T> blocking(Blocking<T> work) {
        return Contexts.resumeHere(Uni.createFrom().item(() -> {
            try {
                return work.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** The archive being written: gzip over a digest of the bytes on disk. */
    private static final class Archive {
        private final Path partial;
        private MessageDigest sha256;
        private FileOutputStream file;
        private GZIPOutputStream gzip;
        private Writer writer;

        Archive(Path partial) {
            this.partial = partial;
        }

        void open(Path directory) throws IOException {
            Files.createDirectories(directory);
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            file = new FileOutputStream(partial.toFile());
            gzip = new GZIPOutputStream(new DigestOutputStream(file, sha256), 1 << 16);
            writer = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16);
        }

        void line(String line) throws IOException {
            writer.write(line);
            writer.write('\n');
        }

        /** Finishes the file, on disk; its SHA-256. */
        String close() throws IOException {
            writer.flush();
            gzip.finish();
            file.getFD().sync();
            writer.close();
            return LedgerHash.hex(sha256.digest());
        }

        void abandon() throws IOException {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // the file goes anyway
                }
            }
            Files.deleteIfExists(partial);
        }
    }
}
