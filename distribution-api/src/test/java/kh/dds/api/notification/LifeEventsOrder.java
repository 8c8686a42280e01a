package kh.dds.api.notification;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The tests' life events occur one second apart from a fixed instant: a notification's time gives its sequence. */
final class LifeEventsOrder {

    private LifeEventsOrder() {
    }

    static long sequenceOf(JsonNode notification) {
        return Instant.parse(notification.path("occurredAt").asText()).getEpochSecond()
                - Instant.parse("2026-12-01T08:00:00Z").getEpochSecond();
    }
}
