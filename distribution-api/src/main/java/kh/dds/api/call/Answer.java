package kh.dds.api.call;

import java.util.List;
import java.util.Map;

/**
 * What a personal-data call answers, before it is audited and sent.
 *
 * @param status          the HTTP status
 * @param body            the JSON body, already written (so that an idempotent replay sends the very same bytes)
 * @param mediaType       its media type
 * @param result          the decision or result code the lookup record keeps (e.g. {@code MATCH}, {@code FOUND},
 *                        or the problem's type name)
 * @param fieldsDisclosed the policy fields whose registry values the body carries
 * @param headers         headers besides the body's (e.g. {@code Retry-After})
 */
public record Answer(int status, String body, String mediaType, String result, List<String> fieldsDisclosed,
                     Map<String, String> headers) {

    public Answer(int status, String body, String mediaType, String result, List<String> fieldsDisclosed) {
        this(status, body, mediaType, result, fieldsDisclosed, Map.of());
    }

    public Answer withHeaders(Map<String, String> extra) {
        return new Answer(status, body, mediaType, result, fieldsDisclosed, Map.copyOf(extra));
    }

    public boolean answered() {
        return status >= 200 && status < 300;
    }
}
