package kh.dds.api.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import kh.dds.api.contract.DataPolicyField;
import kh.dds.api.person.ReplicaPerson;

/**
 * Projects a person onto a contract's data policy (SPEC §4.2): the answer is built up from nothing, field by listed
 * field, so that nothing the policy does not list can ever be serialised — not even a field the registry adds later.
 */
public final class AttributePolicy {

    /** The projected answer and the policy fields whose values it carries. */
    public record Projection(ObjectNode body, List<String> disclosed) {
    }

    private AttributePolicy() {
    }

    public static Projection project(ReplicaPerson person, List<DataPolicyField> policy, ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode();
        body.put("kidc", person.kidc());
        List<String> disclosed = new ArrayList<>();
        for (DataPolicyField field : policy) {
            boolean any = false;
            switch (field) {
                case STATUS -> {
                    body.put("status", person.status().name());
                    any = true;
                }
                case DATE_OF_DEATH -> {
                    if (person.dateOfDeath() != null) {
                        body.put("dateOfDeath", person.dateOfDeath().toString());
                        any = true;
                    }
                }
                default -> {
                    for (String name : field.recordFields()) {
                        JsonNode value = person.record().get(name);
                        if (value != null && !value.isNull()) {
                            body.set(name, value.deepCopy());
                            any = true;
                        }
                    }
                }
            }
            if (any) {
                disclosed.add(field.policyName());
            }
        }
        body.put("dataAsOf", person.dataAsOf().toString());
        return new Projection(body, List.copyOf(disclosed));
    }
}
