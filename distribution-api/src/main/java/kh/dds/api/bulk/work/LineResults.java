package kh.dds.api.bulk.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A line's result row as stored (JSON): the §4.1 answer as the interactive call gives it, or — for a line not
 * verified — {@code verificationId}, {@code reference} and {@code problem} ({@code type}, {@code detail}). The line's
 * number is added when the row is sent.
 */
final class LineResults {

    private LineResults() {
    }

    static String problem(ObjectMapper mapper, String verificationId, String reference, String type, String detail) {
        ObjectNode row = mapper.createObjectNode();
        row.put("verificationId", verificationId);
        if (reference != null) {
            row.put("reference", reference);
        }
        ObjectNode problem = row.putObject("problem");
        problem.put("type", type);
        if (detail != null) {
            problem.put("detail", detail);
        }
        try {
            return mapper.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
