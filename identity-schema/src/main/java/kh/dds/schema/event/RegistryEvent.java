package kh.dds.schema.event;

import java.time.Instant;

/**
 * One change to one person's record, as published on {@link Topics#PERSON_EVENTS} (key = KIdC). {@code sequence} is
 * the person's own version: 1 for {@code PersonRegistered}, then one more for each event of that person.
 */
public record RegistryEvent(String eventId, EventType type, String kidc, long sequence, Instant occurredAt,
                            EventPayload payload) {
}
