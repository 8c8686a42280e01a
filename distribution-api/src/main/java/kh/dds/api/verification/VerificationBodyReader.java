package kh.dds.api.verification;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.stream.Collectors;
import kh.dds.api.call.InputRules;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.Problems;

/**
 * Reads a §4.1 verification body as strictly as SPEC writes it, for {@code POST /v1/verifications} and for each line
 * of a bulk upload (SPEC §4.3), so that the same body gets the same request or the same refusal whichever way it
 * came: a KIdC that is not a JSON string is {@code invalid-kidc}; a body that is not one JSON object, a field this API
 * does not know, a value of the wrong JSON type, a string over its bound or holding a control character, or nesting
 * beyond {@link InputRules#MAX_DEPTH} is {@code invalid-request}. A detail names the field, never the value.
 *
 * <p>The mapper must be the application's (strict coercion, {@code StrictJson}); the KIdC's own format is checked
 * later, where the interactive pipeline checks it, so that the order of refusals is the same on both paths.
 */
public final class VerificationBodyReader {

    private final ObjectMapper mapper;
    private final ObjectReader reader;

    public VerificationBodyReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.readerFor(VerificationRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * What a body read to: the request, or the problem that refuses it.
     *
     * @param kidcSent the KIdC as sent when it was a JSON scalar, kept for the audit record even when the body is
     *                 refused
     */
    public record Read(VerificationRequest request, String kidcSent, ApiProblem problem) {
    }

    public Read read(String body) {
        String kidc = null;
        try {
            // two values on one body (or one NDJSON line) are refused, not the second silently dropped
            JsonNode tree = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body == null ? "" : body);
            if (tree == null || !tree.isObject()) {
                throw Problems.invalidRequest("the body must be a JSON object");
            }
            JsonNode sent = tree.path("kidc");
            kidc = sent.isValueNode() && !sent.isNull() ? sent.asText() : null;
            if (!sent.isMissingNode() && !sent.isNull() && !sent.isTextual()) {
                throw Problems.invalidKidc("kidc: a KIdC is always a JSON string of ten digits");
            }
            InputRules.checkBody(tree);
            return new Read(reader.readValue(tree), kidc, null);
        } catch (ApiProblem problem) {
            return new Read(null, kidc, problem);
        } catch (IOException e) {
            return new Read(null, kidc, Problems.invalidRequest(describe(e)));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return path(unknown) + ": unknown field";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return path(mapping) + ": not of the expected type";
        }
        return "the body is not well-formed JSON";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                : "[" + ref.getIndex() + "]").collect(Collectors.joining("."));
    }
}
