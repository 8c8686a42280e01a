package kh.dds.schema.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;

/**
 * The {@code iss} a compact JWT claims, read without verifying anything: which of the issuers a service trusts (its
 * own token endpoint, an external identity provider) is to verify it. The chosen verifier then proves the claim; a
 * token that lies about its issuer fails that verifier's signature check.
 */
public final class ClaimedIssuer {

    /** Payloads larger than this are not read (no access token of this service is near it). */
    private static final int MAX_PAYLOAD = 16_384;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaimedIssuer() {
    }

    /** The {@code iss} claim of the payload, or {@code null} when there is none or the token is not a JWT. */
    public static String of(String compactJwt) {
        if (compactJwt == null) {
            return null;
        }
        int first = compactJwt.indexOf('.');
        int second = first < 0 ? -1 : compactJwt.indexOf('.', first + 1);
        if (second < 0 || second - first > MAX_PAYLOAD) {
            return null;
        }
        try {
            JsonNode iss = JSON.readTree(Base64.getUrlDecoder().decode(compactJwt.substring(first + 1, second)))
                    .get("iss");
            return iss != null && iss.isTextual() ? iss.asText() : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
