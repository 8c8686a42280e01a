package kh.dds.api.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A client credentials request (RFC 6749 §4.4) read from its form body and {@code Authorization} header, parsed here
 * rather than by the framework so that every malformed input has the answer RFC 6749 gives it, never a {@code 500}:
 * <ul>
 *   <li>a body that is not ASCII form encoding, a bad percent escape or UTF-8 sequence, a known parameter repeated
 *       (§3.2), a body over {@value #MAX_BODY} bytes, a missing {@code grant_type}: {@code 400 invalid_request};</li>
 *   <li>a grant other than {@code client_credentials}: {@code 400 unsupported_grant_type};</li>
 *   <li>credentials in both the header and the body (§2.3: one method a request), or a body {@code client_id} that
 *       differs from the header's: {@code 400 invalid_request};</li>
 *   <li>no credentials, or credentials that cannot be a client's — Basic that is not base64, not UTF-8, has no colon,
 *       a bad escape (§2.3.1 form-encodes both parts), an id over {@value #MAX_CLIENT_ID} or a secret over
 *       {@value #MAX_SECRET} characters, a control character: {@code 401 invalid_client};</li>
 *   <li>a scope over {@value #MAX_SCOPE} characters or outside RFC 6749's scope characters: {@code 400 invalid_scope}.</li>
 * </ul>
 * Unknown parameters are ignored (§3.2); a parameter without a value counts as absent (§3.1).
 */
public record TokenRequest(String clientId, String clientSecret, String scope) {

    public static final int MAX_BODY = 4096;
    public static final int MAX_AUTHORIZATION = 1024;
    public static final int MAX_CLIENT_ID = 128;
    public static final int MAX_SECRET = 256;
    public static final int MAX_SCOPE = 200;
    private static final Set<String> KNOWN = Set.of("grant_type", "client_id", "client_secret", "scope");

    /** Parses a request or fails with the {@link TokenRefused} to answer. */
    public static TokenRequest parse(byte[] body, String authorization) {
        Map<String, String> form = form(body == null ? new byte[0] : body);
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw TokenRefused.invalidRequest("grant_type is required");
        }
        if (!"client_credentials".equals(grantType)) {
            throw new TokenRefused(400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
        }
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (secret != null) {
                throw TokenRefused.invalidRequest("client credentials in both the Authorization header and the body");
            }
            String[] basic = basic(authorization);
            if (clientId != null && !clientId.equals(basic[0])) {
                throw TokenRefused.invalidRequest("client_id differs from the Authorization header's");
            }
            clientId = basic[0];
            secret = basic[1];
        }
        if (!credential(clientId, MAX_CLIENT_ID) || !credential(secret, MAX_SECRET)) {
            throw TokenRefused.invalidClient();
        }
        String scope = form.get("scope");
        if (scope != null && !scope(scope)) {
            throw new TokenRefused(400, "invalid_scope", "the scope is malformed or longer than " + MAX_SCOPE
                    + " characters");
        }
        return new TokenRequest(clientId, secret, scope);
    }

    private static Map<String, String> form(byte[] body) {
        if (body.length > MAX_BODY) {
            throw TokenRefused.invalidRequest("the body is longer than " + MAX_BODY + " bytes");
        }
        Map<String, String> form = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (String pair : ascii(body).split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (name == null || value == null) {
                throw TokenRefused.invalidRequest("the body is not valid form encoding (percent escapes of UTF-8)");
            }
            if (!KNOWN.contains(name)) {
                continue;
            }
            if (!seen.add(name)) {
                throw TokenRefused.invalidRequest(name + " is given more than once");
            }
            if (!value.isEmpty()) {
                form.put(name, value);
            }
        }
        return form;
    }

    private static String ascii(byte[] body) {
        for (byte b : body) {
            if (b < 0x20 || b == 0x7f) {
                // bytes above 0x7f are negative: not ASCII, so not form encoding either
                throw TokenRefused.invalidRequest("the body is not form encoding (raw control or non-ASCII bytes)");
            }
        }
        return new String(body, StandardCharsets.US_ASCII);
    }

    /** Id and secret of a Basic header, each form-decoded (RFC 6749 §2.3.1); invalid_client when unreadable. */
    private static String[] basic(String authorization) {
        if (authorization.length() > MAX_AUTHORIZATION) {
            throw TokenRefused.invalidClient();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException e) {
            throw TokenRefused.invalidClient();
        }
        String text = utf8(decoded);
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw TokenRefused.invalidClient();
        }
        String id = decode(text.substring(0, colon));
        String secret = decode(text.substring(colon + 1));
        if (id == null || secret == null) {
            throw TokenRefused.invalidClient();
        }
        return new String[] {id, secret};
    }

    /** {@code application/x-www-form-urlencoded} decoding that refuses what it cannot read (null) instead of guessing. */
    static String decode(String encoded) {
        byte[] bytes = new byte[encoded.length()];
        int length = 0;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes[length++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high << 4 | low);
                i += 2;
            } else if (c > 0x7f) {
                return null;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        return utf8(Arrays.copyOf(bytes, length));
    }

    private static String utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean credential(String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 6749 §3.3: scope-tokens of %x21 / %x23-5B / %x5D-7E, separated by spaces. */
    private static boolean scope(String scope) {
        if (scope.length() > MAX_SCOPE) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c != ' ' && (c < 0x21 || c > 0x7e || c == '"' || c == '\\')) {
                return false;
            }
        }
        return true;
    }
}
