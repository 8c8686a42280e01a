package kh.dds.billing.invoice;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import kh.dds.billing.problem.BillingProblem;
import kh.dds.billing.tariff.GraduatedPricing;
import kh.dds.billing.tariff.TariffBook;
import kh.dds.schema.time.PhnomPenh;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Closes calendar months (Asia/Phnom_Penh): one invoice per contract with billable usage, lines per product and
 * tier, numbered without gaps. Safe to rerun, on any number of nodes at once: each contract's month is closed under
 * a transaction-scoped advisory lock, and a rerun that finds the live invoice still right issues nothing. When usage
 * metered after the invoice was issued (a record that arrived late) makes it wrong, the rerun credits the invoice in
 * full and issues its replacement — issued documents are never changed.
 *
 * <p>The scheduled run closes the months of the last {@code billing.close.lookback} months once
 * {@code billing.close.grace} has passed after their end, so that the meter has caught up.
 */
@ApplicationScoped
public class InvoiceRun {

    private static final Logger LOG = Logger.getLogger(InvoiceRun.class);

    private final Pool pool;
    private final TariffBook tariffs;
    private final Invoices invoices;
    private final Duration grace;
    private final int lookback;
    private final Clock clock;
    private final MeterRegistry registry;

    public InvoiceRun(Pool pool, TariffBook tariffs, Invoices invoices, MeterRegistry registry,
                      @ConfigProperty(name = "billing.close.grace") Duration grace,
                      @ConfigProperty(name = "billing.close.lookback") int lookback) {
        this.pool = pool;
        this.tariffs = tariffs;
        this.invoices = invoices;
        this.registry = registry;
        this.grace = grace;
        this.lookback = lookback;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(cron = "${billing.close.cron}", timeZone = "Asia/Phnom_Penh",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        YearMonth last = YearMonth.from(PhnomPenh.day(clock.instant().minus(grace))).minusMonths(1);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = lookback - 1; i >= 0; i--) {
            YearMonth month = last.minusMonths(i);
            chain = chain.chain(() -> close(month).invoke(issued -> {
                if (!issued.isEmpty()) {
                    LOG.infof("closing %s issued %d documents", month, issued.size());
                }
            }).replaceWithVoid());
        }
        return chain.onFailure().invoke(e -> LOG.error("the scheduled close failed; the next run retries", e))
                .onFailure().recoverWithNull();
    }

    /** Closes {@code month} for every contract with usage in it; the documents this run issued. */
    public Uni<List<Invoice>> close(YearMonth month) {
        Instant closable = PhnomPenh.startOf(month.plusMonths(1)).plus(grace);
        if (clock.instant().isBefore(closable)) {
            return Uni.createFrom().failure(BillingProblem.monthOpen(month + " can be closed from " + closable
                    + " (its end in Asia/Phnom_Penh plus a grace of " + grace + " for the meter to catch up)"));
        }
        return pool.preparedQuery("""
                        SELECT DISTINCT contract_id FROM billing.usage_daily
                        WHERE day >= $1 AND day < $2 ORDER BY contract_id""")
                .execute(Tuple.of(month.atDay(1), month.plusMonths(1).atDay(1)))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getUUID("contract_id"))
                .onItem().transformToUniAndConcatenate(contract -> close(contract, month))
                .collect().asList()
                .map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    /** Closes {@code month} for one contract: nothing, an invoice, or a credit note and a replacement invoice. */
    public Uni<List<Invoice>> close(UUID contractId, YearMonth month) {
        return tariffs.calendar(contractId, month).chain(calendar -> pool.withTransaction(connection ->
                lock(connection, contractId, month)
                        .chain(() -> usage(connection, contractId, month))
                        .chain(usage -> {
                            List<GraduatedPricing.Line> due = new ArrayList<>();
                            usage.forEach((product, days) -> due.addAll(GraduatedPricing.price(product,
                                    days.stream().map(d -> new GraduatedPricing.Day(d.day, d.units,
                                            calendar.on(d.day))).toList())));
                            return invoices.live(connection, contractId, month)
                                    .chain(live -> settle(connection, contractId, month, due, live));
                        })));
    }

    /**
     * What {@code month} costs the contract so far: the lines its invoice would have if the month closed on the usage
     * metered until now — priced by the same code as {@link #close(UUID, YearMonth)}, neither numbered nor stored.
     * For a month still running (a contract watching its spending, a load test checking the tariff arithmetic) or one
     * already closed (the draft then equals the live invoice unless usage was metered since).
     */
    public Uni<Draft> draft(UUID contractId, YearMonth month) {
        Instant at = clock.instant();
        return tariffs.calendar(contractId, month).chain(calendar -> pool.withConnection(connection ->
                usage(connection, contractId, month).map(usage -> {
                    List<GraduatedPricing.Line> due = new ArrayList<>();
                    usage.forEach((product, days) -> due.addAll(GraduatedPricing.price(product,
                            days.stream().map(d -> new GraduatedPricing.Day(d.day, d.units, calendar.on(d.day)))
                                    .toList())));
                    List<Invoice.Line> lines = lines(due, 1);
                    return new Draft(contractId, month, at, lines,
                            lines.stream().mapToLong(Invoice.Line::units).sum(),
                            lines.stream().mapToLong(Invoice.Line::amount).sum());
                })));
    }

    /** A month's charges as they stand, unnumbered: see {@link #draft(UUID, YearMonth)}. Amounts in whole riel. */
    public record Draft(UUID contractId, YearMonth month, Instant asOf, List<Invoice.Line> lines, long units,
                        long amount) {
    }

    private Uni<List<Invoice>> settle(SqlConnection connection, UUID contractId, YearMonth month,
                                      List<GraduatedPricing.Line> due, Invoice live) {
        long units = due.stream().mapToLong(GraduatedPricing.Line::units).sum();
        if (live == null) {
            if (units == 0) {
                return Uni.createFrom().item(List.of());
            }
            return invoices.issue(connection, Invoice.Kind.INVOICE, contractId, month, null, null, lines(due, 1))
                    .map(invoice -> {
                        registry.counter("billing.documents.issued", "kind", "INVOICE").increment();
                        return List.of(invoice);
                    });
        }
        List<Invoice.Line> wanted = lines(due, 1);
        if (sameCharges(live.lines(), wanted)) {
            return Uni.createFrom().item(List.of());
        }
        List<Invoice.Line> reversed = live.lines().stream().map(line -> new Invoice.Line(line.lineNo(), line.product(),
                line.tariffId(), line.tier(), line.tierFrom(), line.tierUpTo(), -line.units(), line.unitPrice(),
                -line.amount())).toList();
        String reason = "usage metered after " + live.number() + " was issued: " + live.units() + " units became "
                + units;
        Uni<Invoice> credited = invoices.issue(connection, Invoice.Kind.CREDIT_NOTE, contractId, month, live.id(),
                reason, reversed).invoke(() -> registry.counter("billing.documents.issued", "kind", "CREDIT_NOTE")
                .increment());
        if (wanted.isEmpty()) {
            return credited.map(List::of);
        }
        return credited
                .chain(credit -> invoices.issue(connection, Invoice.Kind.INVOICE, contractId, month, live.id(),
                                "replaces " + live.number(), wanted)
                        .map(replacement -> {
                            registry.counter("billing.documents.issued", "kind", "INVOICE").increment();
                            LOG.infof("%s: %s credited by %s and replaced by %s", contractId, live.number(),
                                    credit.number(), replacement.number());
                            return List.of(credit, replacement);
                        }));
    }

    private static boolean sameCharges(List<Invoice.Line> issued, List<Invoice.Line> wanted) {
        if (issued.size() != wanted.size()) {
            return false;
        }
        for (int i = 0; i < issued.size(); i++) {
            Invoice.Line a = issued.get(i);
            Invoice.Line b = wanted.get(i);
            if (!a.product().equals(b.product()) || !Objects.equals(a.tariffId(), b.tariffId()) || a.tier() != b.tier()
                    || a.units() != b.units() || a.unitPrice() != b.unitPrice() || a.amount() != b.amount()) {
                return false;
            }
        }
        return true;
    }

    private static List<Invoice.Line> lines(List<GraduatedPricing.Line> priced, int first) {
        List<Invoice.Line> lines = new ArrayList<>(priced.size());
        int lineNo = first;
        for (GraduatedPricing.Line line : priced) {
            lines.add(new Invoice.Line(lineNo++, line.product(), line.tariffId(), line.tier(), line.tierFrom(),
                    line.tierUpTo(), line.units(), line.unitPrice(), line.amount()));
        }
        return lines;
    }

    private static Uni<Void> lock(SqlConnection connection, UUID contractId, YearMonth month) {
        return connection.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of("billing-close:" + contractId + ":" + month)).replaceWithVoid();
    }

    private record DayUnits(LocalDate day, long units) {
    }

    /** The month's billable units per product (in name order) and day (in date order). */
    private static Uni<Map<String, List<DayUnits>>> usage(SqlConnection connection, UUID contractId, YearMonth month) {
        return connection.preparedQuery("""
                        SELECT product, day, billable FROM billing.usage_daily
                        WHERE contract_id = $1 AND day >= $2 AND day < $3 AND billable > 0
                        ORDER BY product, day""")
                .execute(Tuple.of(contractId, month.atDay(1), month.plusMonths(1).atDay(1)))
                .map(rows -> {
                    Map<String, List<DayUnits>> usage = new TreeMap<>();
                    for (Row row : rows) {
                        usage.computeIfAbsent(row.getString("product"), p -> new ArrayList<>())
                                .add(new DayUnits(row.getLocalDate("day"), row.getLong("billable")));
                    }
                    return usage;
                });
    }
}
