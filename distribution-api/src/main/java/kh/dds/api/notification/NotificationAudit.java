package kh.dds.api.notification;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import kh.dds.api.audit.AuditTrail;
import kh.dds.api.call.PersonalDataCalls;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import org.jboss.logging.Logger;

/**
 * Audits and bills each notification once, when it is first delivered (a webhook's 2xx or its first read from the
 * feed; SPEC §4.5): one lookup record, product {@code NOTIFY}, subject the KIdC, billable, with
 * {@code notification=<id>&event=<type>} as its detail. Its lookup id and time were fixed in the row when the
 * notification was first delivered, so a record sent again — the node stopped between the broker's acknowledgement
 * and {@code audited_at}, or the sweep and a reader met — is the very same record, which the ledger and billing keep
 * once. Redeliveries and re-reads never make another.
 */
@ApplicationScoped
public class NotificationAudit {

    private static final Logger LOG = Logger.getLogger(NotificationAudit.class);

    private final AuditTrail trail;
    private final NotificationStore store;

    public NotificationAudit(AuditTrail trail, NotificationStore store) {
        this.trail = trail;
        this.store = store;
    }

    /** The one lookup record of a delivered notification. */
    public static LookupRecord record(Notification notification) {
        return new LookupRecord(notification.lookupId().toString(),
                notification.deliveredAt().truncatedTo(ChronoUnit.MICROS), notification.contractId().toString(),
                notification.deliveredBy(), null, null, Product.NOTIFY, notification.kidc(),
                PersonalDataCalls.ANSWERED, notification.type(), notification.fieldsDisclosed(), 200, true, 0)
                .withDetail("notification=" + notification.notificationId() + "&event=" + notification.type())
                .storable();
    }

    /** Makes the records of these delivered, unaudited notifications durable, then marks them audited. */
    public Uni<Void> audit(List<Notification> delivered) {
        List<Uni<Void>> sends = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (Notification notification : delivered) {
            if (notification.deliveredAt() != null && notification.auditedAt() == null) {
                sends.add(trail.append(record(notification)));
                ids.add(notification.id());
            }
        }
        if (sends.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(sends).andFailFast().chain(() -> store.audited(ids));
    }

    /** What was delivered but not audited (a node stopped in between) is audited here, within seconds. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return store.unaudited().chain(this::audit)
                .onFailure().invoke(e -> LOG.warnf("auditing delivered notifications failed, trying again: %s",
                        e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
