package kh.dds.api.bulk.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import kh.dds.api.bulk.BulkConfig;
import org.jboss.logging.Logger;

/**
 * Retention and abandoned uploads, on every node (each statement is safe to run on several at once): a job past its
 * contract's retention is deleted with its chunks and lines (SPEC §4.3, default 30 days after it ended); a RECEIVING
 * job whose upload has been silent for {@code api.bulk.upload-timeout} — its node died mid-upload, or the client went
 * away unnoticed — is FAILED ({@code upload-interrupted}) and its lines deleted.
 */
@ApplicationScoped
public class BulkHousekeeping {

    private static final Logger LOG = Logger.getLogger(BulkHousekeeping.class);

    private final BulkJobs jobs;
    private final BulkConfig config;

    public BulkHousekeeping(BulkJobs jobs, BulkConfig config) {
        this.jobs = jobs;
        this.config = config;
    }

    @Scheduled(cron = "${api.bulk.housekeeping-cron:0 * * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(e -> LOG.warnf("bulk housekeeping failed, tried again later: %s",
                e.toString())).onFailure().recoverWithNull();
    }

    /** One round: silent uploads failed, expired jobs deleted (in batches of 100 until none is left). */
    public Uni<Void> run() {
        Uni<Void> silent = jobs.silentUploads(Instant.now().minus(config.uploadTimeout()))
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> jobs.fail(id, "upload-interrupted")
                        .invoke(() -> LOG.infof("bulk job %s failed: its upload fell silent", id)))
                .collect().last().replaceWithVoid();
        return silent.chain(this::deleteExpired);
    }

    private Uni<Void> deleteExpired() {
        return jobs.deleteExpired().chain(deleted -> {
            if (deleted.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            deleted.forEach(id -> LOG.infof("bulk job %s expired: deleted with its results", id));
            return deleteExpired();
        });
    }
}
