package kh.dds.api.audit.ledger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/** The ledger's periodic work: checkpoints of lanes that moved, and next month's partition ahead of time. */
@ApplicationScoped
public class LedgerMaintenance {

    private static final Logger LOG = Logger.getLogger(LedgerMaintenance.class);

    private final LedgerCheckpoints checkpoints;
    private final AuditLedger ledger;
    private final LedgerConfig config;

    public LedgerMaintenance(LedgerCheckpoints checkpoints, AuditLedger ledger, LedgerConfig config) {
        this.checkpoints = checkpoints;
        this.ledger = ledger;
        this.config = config;
    }

    @Scheduled(every = "${api.ledger.checkpoint-interval}", delayed = "${api.ledger.checkpoint-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkpoint() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return checkpoints.checkpointMoved().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("ledger checkpoints not made this time: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    @Scheduled(every = "6h", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> partitionsAhead() {
        Instant now = Instant.now();
        return ledger.ensurePartitions(Set.of(PhnomPenh.month(now), PhnomPenh.month(now).plusMonths(1)))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
