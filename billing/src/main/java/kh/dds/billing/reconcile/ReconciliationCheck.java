package kh.dds.billing.reconcile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * Reconciles today and yesterday on a schedule and exposes {@code billing_reconciliation_differences{day}}: the
 * number of contracts whose three counts differ. Under load the counts trail each other by the consumers' lag, so an
 * alert should ask for a difference that lasts (e.g. several checks in a row), not for one.
 */
@ApplicationScoped
public class ReconciliationCheck {

    private static final Logger LOG = Logger.getLogger(ReconciliationCheck.class);

    private final Reconciliation reconciliation;
    private final AtomicInteger today = new AtomicInteger();
    private final AtomicInteger yesterday = new AtomicInteger();

    public ReconciliationCheck(Reconciliation reconciliation, MeterRegistry registry) {
        this.reconciliation = reconciliation;
        Gauge.builder("billing.reconciliation.differences", today, AtomicInteger::get).tag("day", "today")
                .description("contracts whose audited, metered and API billable counts differ").register(registry);
        Gauge.builder("billing.reconciliation.differences", yesterday, AtomicInteger::get).tag("day", "yesterday")
                .description("contracts whose audited, metered and API billable counts differ").register(registry);
    }

    @Scheduled(every = "${billing.reconciliation.every}", delayed = "${billing.reconciliation.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return reconciliation.of(PhnomPenh.today()).invoke(report -> today.set(report.differences()))
                .chain(() -> reconciliation.of(PhnomPenh.today().minusDays(1)))
                .invoke(report -> {
                    if (report.differences() > 0 && yesterday.get() == 0) {
                        LOG.warnf("%d contracts' billable counts of %s differ", report.differences(), report.date());
                    }
                    yesterday.set(report.differences());
                })
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warn("reconciliation check failed; the next one retries", e))
                .onFailure().recoverWithNull();
    }
}
