package kh.dds.schema.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A typed change of a person, published by the replica on {@link Topics#PERSON_NOTIFICATIONS} (key = KIdC) for the
 * API's notifications. It carries no personal data beyond what every notification may carry: the KIdC, what
 * happened, when, the person's {@code dataAsOf}, and for a retirement the surviving KIdC. Registry values (a new
 * name) are read by the API from the replica, and only where a contract's data policy allows them.
 *
 * <p>{@code eventId} is fixed by the person, the sequence of the registry event that caused it and the type
 * ({@link #idOf}), so that the same change published twice (the replica's outbox is at-least-once) is one change to
 * every reader. {@code sequence} orders one person's life events.
 */
public record LifeEvent(UUID eventId, String kidc, long sequence, LifeEventType type, Instant occurredAt,
                        Instant dataAsOf, String survivorKidc) {

    public LifeEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kidc, "kidc");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(dataAsOf, "dataAsOf");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence " + sequence);
        }
        if ((type == LifeEventType.RETIRED) != (survivorKidc != null)) {
            throw new IllegalArgumentException("a survivor KIdC goes with a retirement, and only with one");
        }
    }

    /** A life event with its fixed id. */
    public static LifeEvent of(String kidc, long sequence, LifeEventType type, Instant occurredAt, Instant dataAsOf,
                               String survivorKidc) {
        return new LifeEvent(idOf(kidc, sequence, type), kidc, sequence, type, occurredAt, dataAsOf, survivorKidc);
    }

    /** The id of the life event of this type caused by the person's registry event at this sequence. */
    public static UUID idOf(String kidc, long sequence, LifeEventType type) {
        return UUID.nameUUIDFromBytes(("dds-life-event:" + kidc + ':' + sequence + ':' + type)
                .getBytes(StandardCharsets.UTF_8));
    }
}
