package kh.dds.replica.person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kh.dds.schema.event.EventPayload;
import kh.dds.schema.event.EventPayload.AddressChange;
import kh.dds.schema.event.EventPayload.CivilStatusChange;
import kh.dds.schema.event.EventPayload.Death;
import kh.dds.schema.event.EventPayload.DocumentIssue;
import kh.dds.schema.event.EventPayload.DocumentRevocation;
import kh.dds.schema.event.EventPayload.Merge;
import kh.dds.schema.event.EventPayload.NameChange;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.PersonStatus;
import kh.dds.schema.event.RegistryEvent;

/**
 * Applies one registry event, the next in its person's sequence, to that person's replica state. No I/O. The
 * current state's record is updated in place when the event applies (and left untouched when it is refused), so a
 * caller must not keep using the state it passed in.
 *
 * <p>What the replica refuses (the event is dead-lettered with the reason, and the sequence moves on):
 * any event but {@code PersonRegistered}/{@code PersonCorrected} for a person with no record; any event for a retired
 * person; for a deceased person anything but a correction, a document revocation or a merge; a document issued twice;
 * the revocation of a document the person does not hold or that is already revoked; a death before the birth.
 */
public final class EventApplier {

    /** What applying an event came to. */
    public sealed interface Result {
        record Applied(PersonState state) implements Result {
        }

        record Refused(String reason) implements Result {
        }
    }

    private final ObjectMapper mapper;

    public EventApplier(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Result apply(PersonState current, RegistryEvent event) {
        if (event.sequence() != current.version() + 1) {
            throw new IllegalArgumentException("event " + event.sequence() + " is not next after " + current.version());
        }
        EventPayload payload = event.payload();
        if (current.record() == null) {
            if (payload instanceof PersonRecord record) {
                return applied(current, event, recordNode(record), PersonStatus.ACTIVE, null, null);
            }
            return refused("the person has no record yet: the first applicable event is PersonRegistered or PersonCorrected");
        }
        if (current.status() == PersonStatus.RETIRED) {
            return refused("the KIdC is retired in favour of " + current.survivorKidc());
        }
        if (current.status() == PersonStatus.DECEASED && !(event.type() == EventType.PersonCorrected
                || event.type() == EventType.DocumentRevoked || event.type() == EventType.PersonMerged)) {
            return refused("the person is deceased: only a correction, a document revocation or a merge applies");
        }
        // the applier takes the record over: every refusal below returns before anything is changed
        ObjectNode record = current.record();
        PersonStatus status = current.status();
        var dateOfDeath = current.dateOfDeath();
        String survivor = current.survivorKidc();
        if (payload instanceof PersonRecord full) {
            if (event.type() == EventType.PersonRegistered) {
                return refused("the person is already registered");
            }
            record = recordNode(full);
        } else if (payload instanceof NameChange name) {
            setOrRemove(record, "familyNameKh", name.familyNameKh());
            setOrRemove(record, "givenNameKh", name.givenNameKh());
            setOrRemove(record, "familyNameLatin", name.familyNameLatin());
            setOrRemove(record, "givenNameLatin", name.givenNameLatin());
        } else if (payload instanceof AddressChange address) {
            record.set("address", mapper.valueToTree(address.address()));
        } else if (payload instanceof CivilStatusChange civil) {
            record.put("maritalStatus", civil.maritalStatus());
        } else if (payload instanceof DocumentIssue issue) {
            ArrayNode documents = documents(record);
            if (indexOf(documents, issue.document().type(), issue.document().number()) >= 0) {
                return refused("document " + issue.document().type() + " " + issue.document().number()
                        + " is already issued");
            }
            documents.add(mapper.<JsonNode>valueToTree(issue.document()));
        } else if (payload instanceof DocumentRevocation revocation) {
            ArrayNode documents = documents(record);
            int at = indexOf(documents, revocation.type(), revocation.number());
            if (at < 0) {
                return refused("the person holds no " + revocation.type() + " " + revocation.number());
            }
            ObjectNode document = (ObjectNode) documents.get(at);
            if (IdentityDocument.REVOKED.equals(document.path("status").asText())) {
                return refused(revocation.type() + " " + revocation.number() + " is already revoked");
            }
            document.put("status", IdentityDocument.REVOKED);
        } else if (payload instanceof Death death) {
            String birth = record.path("dateOfBirth").asText(null);
            if (birth != null && death.dateOfDeath().isBefore(PartialDate.parse(birth).earliest())) {
                return refused("date of death before the date of birth");
            }
            status = PersonStatus.DECEASED;
            dateOfDeath = death.dateOfDeath();
        } else if (payload instanceof Merge merge) {
            status = PersonStatus.RETIRED;
            survivor = merge.survivorKidc();
        }
        return applied(current, event, record, status, dateOfDeath, survivor);
    }

    private Result applied(PersonState current, RegistryEvent event, ObjectNode record, PersonStatus status,
                           java.time.LocalDate dateOfDeath, String survivor) {
        return new Result.Applied(new PersonState(current.kidc(), event.sequence(), status, record, dateOfDeath,
                survivor, event.occurredAt()));
    }

    private static Result refused(String reason) {
        return new Result.Refused(reason);
    }

    private ObjectNode recordNode(PersonRecord record) {
        return mapper.valueToTree(record);
    }

    private ArrayNode documents(ObjectNode record) {
        JsonNode documents = record.get("documents");
        if (documents instanceof ArrayNode array) {
            return array;
        }
        return record.putArray("documents");
    }

    private static int indexOf(ArrayNode documents, String type, String number) {
        for (int i = 0; i < documents.size(); i++) {
            JsonNode document = documents.get(i);
            if (type.equals(document.path("type").asText()) && number.equals(document.path("number").asText())) {
                return i;
            }
        }
        return -1;
    }

    private static void setOrRemove(ObjectNode record, String field, String value) {
        if (value == null) {
            record.remove(field);
        } else {
            record.put(field, value);
        }
    }
}
