package kh.dds.schema.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

/**
 * The type every access token of this service carries in its header, {@code typ: at+jwt} (RFC 9068 §2.1), and the
 * check that a verified token has it (§4: {@code application/at+jwt} too, case-insensitively), so that an ID token
 * or any other JWT signed by the same issuer cannot be used as an access token. Every service that verifies the
 * API's tokens checks it.
 */
public final class AccessTokenType {

    public static final String VALUE = "at+jwt";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccessTokenType() {
    }

    /** Whether the compact JWT's header says {@code typ: at+jwt}; {@code false} for anything that is not a JWT. */
    public static boolean isAccessToken(String compactJwt) {
        if (compactJwt == null) {
            return false;
        }
        int dot = compactJwt.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            JsonNode type = JSON.readTree(Base64.getUrlDecoder().decode(compactJwt.substring(0, dot))).path("typ");
            String value = type.isTextual() ? type.asText().toLowerCase(Locale.ROOT) : "";
            return value.equals(VALUE) || value.equals("application/" + VALUE);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
