package kh.dds.schema.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClaimedIssuerTest {

    private static String jwt(String header, String payload) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void theIssuerOfAPayloadIsRead() {
        assertEquals("http://127.0.0.1:8180/realms/dds",
                ClaimedIssuer.of(jwt("{\"alg\":\"RS256\"}", "{\"iss\":\"http://127.0.0.1:8180/realms/dds\"}")));
    }

    @Test
    void anythingElseHasNoIssuer() {
        assertNull(ClaimedIssuer.of(null));
        assertNull(ClaimedIssuer.of("not a token"));
        assertNull(ClaimedIssuer.of("a.b"));
        assertNull(ClaimedIssuer.of(jwt("{}", "{\"iss\":42}")));
        assertNull(ClaimedIssuer.of(jwt("{}", "{\"sub\":\"x\"}")));
        assertNull(ClaimedIssuer.of(jwt("{}", "[1,2")));
        assertNull(ClaimedIssuer.of("e30.!!!.sig"));
        assertNull(ClaimedIssuer.of(jwt("{}", "{\"iss\":\"" + "x".repeat(20_000) + "\"}")));
    }
}
