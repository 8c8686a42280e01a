package kh.dds.api.call;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import kh.dds.api.problem.Problems;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.text.SafeText;

/**
 * SPEC §4 "Input rules": every string a caller sends is bounded and holds no control character (U+0000–U+001F,
 * U+007F) nor an unpaired surrogate. Checked before any work, so that no matcher, store or log ever sees such a
 * value; the refusal is a {@code 400} whose detail names the field, never echoes the value.
 */
public final class InputRules {

    /** Names, references and every other string of a body. */
    public static final int MAX_TEXT = 200;
    public static final int MAX_PURPOSE = LookupRecord.MAX_PURPOSE;
    public static final int MAX_OPERATOR_ID = LookupRecord.MAX_OPERATOR_ID;
    /** Header values ({@code Idempotency-Key}, …). */
    public static final int MAX_HEADER = 256;
    /** Nesting deeper than any body of this API needs. */
    public static final int MAX_DEPTH = 8;

    private InputRules() {
    }

    /** What is wrong with the value, or {@code null} when it is acceptable (a missing value is). */
    public static String problemWith(String value, int max) {
        return value == null ? null : SafeText.problemWith(value, max);
    }

    /**
     * Every string of a JSON body — values and field names, at any depth — within {@link #MAX_TEXT} characters and
     * free of control characters, and the body no deeper than {@link #MAX_DEPTH}.
     */
    public static void checkBody(JsonNode body) {
        check(body, "", 0);
    }

    private static void check(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw Problems.invalidRequest("the body is nested too deeply");
        }
        if (node.isTextual()) {
            String problem = problemWith(node.textValue(), MAX_TEXT);
            if (problem != null) {
                throw Problems.invalidRequest((path.isEmpty() ? "body" : path) + ": " + problem);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (problemWith(field.getKey(), MAX_TEXT) != null) {
                    throw Problems.invalidRequest((path.isEmpty() ? "body" : path) + ": a field name that is too "
                            + "long or holds control characters");
                }
                check(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), depth + 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]", depth + 1);
            }
        }
    }
}
