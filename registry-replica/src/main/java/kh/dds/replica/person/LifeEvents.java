package kh.dds.replica.person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.LifeEventType;
import kh.dds.schema.event.PersonStatus;

/**
 * Which life events an applied registry event amounts to, read from what it did to the person rather than from its
 * name: a death or a retirement is a change of status, a name change any change of the four name fields (a
 * {@code NameChanged}, or a {@code PersonCorrected} that corrects a name), a revocation a document that was not
 * revoked before and is now (a {@code DocumentRevoked}, or a correction). A person's first record (registration, or
 * the first readable correction) is no change. No I/O.
 *
 * <p>The applier updates a record in place, so what the person was is taken ({@link #before}) before it runs.
 */
public final class LifeEvents {

    private static final String[] NAME_FIELDS = {"familyNameKh", "givenNameKh", "familyNameLatin", "givenNameLatin"};

    private LifeEvents() {
    }

    /** What a person was, as far as life events go. */
    public record Before(boolean hasRecord, PersonStatus status, List<String> names, Set<String> revoked) {
    }

    public static Before before(PersonState state) {
        if (state.record() == null) {
            return new Before(false, state.status(), List.of(), Set.of());
        }
        return new Before(true, state.status(), names(state.record()), revoked(state.record()));
    }

    /** The life events of the person's change from {@code before} to {@code after} by the event at its version. */
    public static List<LifeEvent> between(Before before, PersonState after, Instant occurredAt) {
        if (!before.hasRecord() || after.record() == null) {
            return List.of();
        }
        List<LifeEvent> events = new ArrayList<>(1);
        String kidc = after.kidc();
        long sequence = after.version();
        Instant dataAsOf = after.lastEventAt() != null ? after.lastEventAt() : occurredAt;
        if (after.status() == PersonStatus.DECEASED && before.status() != PersonStatus.DECEASED) {
            events.add(LifeEvent.of(kidc, sequence, LifeEventType.DECEASED, occurredAt, dataAsOf, null));
        }
        if (after.status() == PersonStatus.RETIRED && before.status() != PersonStatus.RETIRED) {
            events.add(LifeEvent.of(kidc, sequence, LifeEventType.RETIRED, occurredAt, dataAsOf,
                    after.survivorKidc()));
        }
        if (!before.names().equals(names(after.record()))) {
            events.add(LifeEvent.of(kidc, sequence, LifeEventType.NAME_CHANGED, occurredAt, dataAsOf, null));
        }
        if (!before.revoked().containsAll(revoked(after.record()))) {
            events.add(LifeEvent.of(kidc, sequence, LifeEventType.DOCUMENT_REVOKED, occurredAt, dataAsOf, null));
        }
        return events;
    }

    private static List<String> names(ObjectNode record) {
        List<String> names = new ArrayList<>(NAME_FIELDS.length);
        for (String field : NAME_FIELDS) {
            names.add(Objects.toString(record.path(field).textValue(), ""));
        }
        return names;
    }

    private static Set<String> revoked(ObjectNode record) {
        Set<String> revoked = new HashSet<>();
        for (JsonNode document : record.path("documents")) {
            if (IdentityDocument.REVOKED.equals(document.path("status").asText())) {
                revoked.add(document.path("type").asText() + '\u0000' + document.path("number").asText());
            }
        }
        return revoked;
    }
}
