package kh.dds.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever arrives at {@code POST /oauth/token}, reading it ends in a request or in the RFC 6749 error to answer
 * ({@code 400} or {@code 401}), never in any other exception; and credentials that survive any encoding round trip
 * come out as they went in.
 */
class TokenRequestPropertiesTest {

    private static final byte[] GRANT = "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII);

    @Property(tries = 500)
    void anyAuthorizationHeaderIsARequestOrAnOAuthError(@ForAll("headers") String authorization) {
        readsOrRefuses(GRANT, authorization);
    }

    @Property(tries = 500)
    void anyBasicPayloadIsARequestOrInvalidClient(@ForAll @Size(max = 400) byte[] payload) {
        String header = "Basic " + Base64.getEncoder().encodeToString(payload);
        try {
            TokenRequest request = TokenRequest.parse(GRANT, header);
            assertTrue(request.clientId().length() <= TokenRequest.MAX_CLIENT_ID);
            assertTrue(request.clientSecret().length() <= TokenRequest.MAX_SECRET);
        } catch (TokenRefused refused) {
            assertEquals("invalid_client", refused.error());
            assertEquals(401, refused.status());
        }
    }

    @Property(tries = 500)
    void anyBodyIsARequestOrAnOAuthError(@ForAll @Size(max = 5000) byte[] body) {
        readsOrRefuses(body, null);
    }

    @Property(tries = 300)
    void anyFormLikeBodyIsARequestOrAnOAuthError(@ForAll("forms") String body) {
        readsOrRefuses(body.getBytes(StandardCharsets.UTF_8), null);
    }

    @Property(tries = 300)
    void credentialsWithoutControlCharactersSurviveBasicEncoding(@ForAll("credentials") String id,
                                                                   @ForAll("credentials") String secret) {
        String basic = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        TokenRequest request = TokenRequest.parse(GRANT,
                "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        assertEquals(id, request.clientId());
        assertEquals(secret, request.clientSecret());
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        TokenRequest fromBody = TokenRequest.parse(form.getBytes(StandardCharsets.US_ASCII), null);
        assertEquals(id, fromBody.clientId());
        assertEquals(secret, fromBody.clientSecret());
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(2000);
        Arbitrary<String> basicLike = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(1500)
                .map(rest -> "Basic " + rest);
        return Arbitraries.oneOf(any, basicLike);
    }

    @Provide
    Arbitrary<String> forms() {
        Arbitrary<String> name = Arbitraries.of("grant_type", "client_id", "client_secret", "scope", "other", "");
        Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\u0000', '\u1780')
                .ofMaxLength(300);
        Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        return pair.list().ofMaxSize(8).map(pairs -> String.join("&", pairs));
    }

    /** Short enough that, percent-encoded and in base64, both fit the header's bound whatever their characters. */
    @Provide
    Arbitrary<String> credentials() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(30)
                .filter(s -> s.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)))
                .filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s));
    }

    private static void readsOrRefuses(byte[] body, String authorization) {
        try {
            TokenRequest request = TokenRequest.parse(body, authorization);
            assertTrue(request.clientId() != null && request.clientSecret() != null);
        } catch (TokenRefused refused) {
            assertTrue(refused.status() == 400 || refused.status() == 401, refused.status() + " " + refused.error());
        }
    }
}
