package kh.dds.api.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One notification as stored: for one contract, one life event.
 *
 * @param id          the feed's order (and cursor)
 * @param body        exactly what is delivered and signed
 * @param lookupId    the id of its lookup record, set with {@code deliveredAt} on first delivery, else {@code null}
 * @param deliveredBy {@code webhook}, or the client that first read it from the feed
 */
public record Notification(long id, UUID notificationId, UUID contractId, String kidc, long sequence, String type,
                           String body, List<String> fieldsDisclosed, UUID lookupId, Instant deliveredAt,
                           String deliveredBy, Instant auditedAt, String webhookState, int attempts, Instant createdAt,
                           String lastError) {
}
