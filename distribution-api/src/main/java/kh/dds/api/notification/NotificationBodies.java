package kh.dds.api.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import kh.dds.api.contract.DataPolicyField;
import kh.dds.api.person.ReplicaPerson;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.LifeEventType;
import kh.dds.schema.event.PersonStatus;

/**
 * A notification's body, built once when it is created and delivered (signed) and read from the feed exactly so:
 * {@code notificationId}, {@code type}, {@code kidc}, {@code occurredAt}, {@code dataAsOf}, for a retirement
 * {@code survivorKidc}; and, under {@code person}, registry values only where the contract's data policy lists them,
 * field by field from nothing (as {@code AttributePolicy}): the new name of a name change ({@code familyName},
 * {@code givenName}), the date of a death ({@code dateOfDeath}). Those values are the replica's when the notification
 * was made, with their own {@code dataAsOf}. No I/O.
 */
public final class NotificationBodies {

    /** A body and the policy fields whose values it carries. */
    public record Body(String json, List<String> disclosed) {
    }

    private NotificationBodies() {
    }

    public static Body of(UUID notificationId, LifeEvent event, List<DataPolicyField> policy, ReplicaPerson person,
                          ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode();
        body.put("notificationId", notificationId.toString());
        body.put("type", event.type().name());
        body.put("kidc", event.kidc());
        body.put("occurredAt", event.occurredAt().toString());
        body.put("dataAsOf", event.dataAsOf().toString());
        if (event.survivorKidc() != null) {
            body.put("survivorKidc", event.survivorKidc());
        }
        List<String> disclosed = new ArrayList<>();
        if (person != null && person.record() != null && person.status() != PersonStatus.RETIRED) {
            ObjectNode values = mapper.createObjectNode();
            if (event.type() == LifeEventType.NAME_CHANGED) {
                for (DataPolicyField field : List.of(DataPolicyField.FAMILY_NAME, DataPolicyField.GIVEN_NAME)) {
                    if (policy.contains(field) && copy(person.record(), field, values)) {
                        disclosed.add(field.policyName());
                    }
                }
            }
            if (event.type() == LifeEventType.DECEASED && policy.contains(DataPolicyField.DATE_OF_DEATH)
                    && person.dateOfDeath() != null) {
                values.put("dateOfDeath", person.dateOfDeath().toString());
                disclosed.add(DataPolicyField.DATE_OF_DEATH.policyName());
            }
            if (!values.isEmpty()) {
                values.put("dataAsOf", person.dataAsOf().toString());
                body.set("person", values);
            }
        }
        try {
            return new Body(mapper.writeValueAsString(body), List.copyOf(disclosed));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean copy(ObjectNode record, DataPolicyField field, ObjectNode values) {
        boolean any = false;
        for (String name : field.recordFields()) {
            JsonNode value = record.get(name);
            if (value != null && !value.isNull()) {
                values.set(name, value.deepCopy());
                any = true;
            }
        }
        return any;
    }
}
