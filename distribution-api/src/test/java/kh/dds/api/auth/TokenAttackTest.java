package kh.dds.api.auth;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.tokenResponse;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/**
 * The JWT attack suite: every forged, stale, misdirected or tampered token is refused with {@code 401} before any
 * work, and a genuine token is refused once its client is revoked. Tokens are signed here with the test key under
 * {@code src/test/resources} (the same key the test configuration gives the token endpoint), or with keys of the
 * attacker's own.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class TokenAttackTest {

    private static final String ISSUER = "https://dds.gov.kh/oauth";
    private static final String AUDIENCE = "dds-api";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static Party bank;

    private static synchronized Party bank() {
        if (bank == null) {
            bank = party(Map.of());
        }
        return bank;
    }

    private static Response verify(String token) throws Exception {
        return given().auth().oauth2(token).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + activePerson() + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}")
                .post("/v1/verifications");
    }

    private static void refused(String token) throws Exception {
        verify(token).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", notNullValue())
                .body("type", equalTo("https://dds.gov.kh/problems/unauthorized"));
    }

    /** Genuine claims of the bank's client, signed by the caller. */
    private static JwtClaimsBuilder claims() {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(bank().clientId())
                .claim("client_id", bank().clientId()).claim("contract_id", bank().contractId())
                .claim("scope", "verify lookup").issuedAt(now).expiresAt(now.plusSeconds(300));
    }

    private static PrivateKey serviceKey() throws Exception {
        String pem;
        try (InputStream in = TokenAttackTest.class.getResourceAsStream("/keys/token-signing-key.pem")) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** Signed with the service's own key, typed as the token endpoint types its tokens (RFC 9068). */
    private static String signed(JwtClaimsBuilder claims) throws Exception {
        return claims.jws().type("at+jwt").algorithm(SignatureAlgorithm.RS256).keyId("dds-1").sign(serviceKey());
    }

    private static String payload(JwtClaimsBuilder claims) throws Exception {
        String token = signed(claims);
        return token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
    }

    @Test
    void aGenuineTokenFromTheTokenEndpointIsAccepted() throws Exception {
        verify(bank().token()).then().statusCode(200);
        verify(signed(claims())).then().statusCode(200);
    }

    @Test
    void algNoneIsRefused() throws Exception {
        String header = URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        refused(header + "." + payload(claims()) + ".");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        String header = URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"dds-1\"}"
                .getBytes(StandardCharsets.UTF_8));
        String body = payload(claims());
        String jwks = given().get("/oauth/jwks").then().statusCode(200).extract().asString();
        for (String secret : new String[] {jwks, ApiTestSupport.JSON.readTree(jwks).at("/keys/0/n").asText()}) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = URL.encodeToString(mac.doFinal((header + "." + body).getBytes(StandardCharsets.US_ASCII)));
            refused(header + "." + body + "." + signature);
        }
    }

    @Test
    void anExpiredTokenIsRefusedBeyondTheSkew() throws Exception {
        Instant past = Instant.now().minusSeconds(600);
        refused(signed(claims().issuedAt(past).expiresAt(past.plusSeconds(300))));
    }

    @Test
    void aNotYetValidTokenIsRefusedBeyondTheSkew() throws Exception {
        Instant future = Instant.now().plusSeconds(300);
        refused(signed(claims().claim("nbf", future.getEpochSecond()).expiresAt(future.plusSeconds(300))));
        refused(signed(claims().issuedAt(future).expiresAt(future.plusSeconds(300))));
    }

    @Test
    void aWrongIssuerOrAudienceIsRefused() throws Exception {
        refused(signed(claims().issuer("https://attacker.example/oauth")));
        refused(signed(claims().audience("another-service")));
    }

    @Test
    void anAlteredSignatureOrPayloadIsRefused() throws Exception {
        String token = signed(claims());
        int last = token.lastIndexOf('.');
        char flipped = token.charAt(last + 5) == 'A' ? 'B' : 'A';
        refused(token.substring(0, last + 5) + flipped + token.substring(last + 6));

        String elevated = payload(claims().claim("scope", "verify lookup admin"));
        refused(token.substring(0, token.indexOf('.') + 1) + elevated + token.substring(last));
    }

    @Test
    void anUnknownKeyIdOrAnAttackersKeyIsRefused() throws Exception {
        refused(claims().jws().type("at+jwt").algorithm(SignatureAlgorithm.RS256).keyId("dds-999")
                .sign(serviceKey()));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey attacker = generator.generateKeyPair().getPrivate();
        refused(claims().jws().type("at+jwt").algorithm(SignatureAlgorithm.RS256).keyId("dds-1").sign(attacker));
    }

    @Test
    void theTokenEndpointTypesItsTokensAndATokenOfAnotherTypeIsRefused() throws Exception {
        String issued = bank().token();
        JsonNode header = ApiTestSupport.JSON.readTree(Base64.getUrlDecoder().decode(
                issued.substring(0, issued.indexOf('.'))));
        assertEquals("at+jwt", header.path("typ").asText(), "RFC 9068 access token type");

        // genuine claims and the service's own key, but typed as a plain JWT (as an ID token would be): refused
        refused(claims().jws().type("JWT").algorithm(SignatureAlgorithm.RS256).keyId("dds-1").sign(serviceKey()));
        refused(claims().jws().type("id_token+jwt").algorithm(SignatureAlgorithm.RS256).keyId("dds-1")
                .sign(serviceKey()));
        // RFC 9068 §4 allows the media type's full name, in any case
        verify(claims().jws().type("application/AT+JWT").algorithm(SignatureAlgorithm.RS256).keyId("dds-1")
                .sign(serviceKey())).then().statusCode(200);
    }

    @Test
    void aMissingScopeIsForbidden() throws Exception {
        verify(signed(claims().claim("scope", "lookup"))).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/scope-missing"));
    }

    @Test
    void aScopeTheClientDoesNotHoldIsNotGrantedByTheTokenEndpoint() {
        Party verifier = party(Map.of(), "verify");
        tokenResponse(verifier.clientId(), verifier.clientSecret(), "verify admin").then().statusCode(400)
                .body("error", equalTo("invalid_scope"));
        tokenResponse(verifier.clientId(), "wrong-secret", null).then().statusCode(401)
                .body("error", equalTo("invalid_client"));
        tokenResponse("cl-does-not-exist", "whatever", null).then().statusCode(401)
                .body("error", equalTo("invalid_client"));
        Response granted = tokenResponse(verifier.clientId(), verifier.clientSecret(), null);
        granted.then().statusCode(200).body("token_type", equalTo("Bearer")).body("scope", equalTo("verify"))
                .header("Cache-Control", "no-store");
        assertTrue(granted.<Integer>path("expires_in") <= 300);
    }

    @Test
    void theTokenOfARevokedClientIsRefusedAtOnce() throws Exception {
        Party party = party(Map.of());
        verify(party.token()).then().statusCode(200);
        given().auth().oauth2(ApiTestSupport.adminToken()).delete("/v1/admin/clients/" + party.clientId())
                .then().statusCode(204);
        verify(party.token()).then().statusCode(401)
                .body("type", equalTo("https://dds.gov.kh/problems/client-revoked"));
        tokenResponse(party.clientId(), party.clientSecret(), null).then().statusCode(401);
        JsonNode refusal = ApiTestSupport.lookupRecordsOf(party.contractId()).stream()
                .filter(r -> r.path("httpStatus").asInt() == 401).findFirst().orElseThrow();
        assertEquals("client-revoked", refusal.path("decision").asText(), "the revoked client's attempt is audited");
    }

    @Test
    void theJwksPublishesThePublicKeyOnly() {
        JsonNode key = given().get("/oauth/jwks").then().statusCode(200).extract().as(JsonNode.class).at("/keys/0");
        assertEquals("RSA", key.path("kty").asText());
        assertEquals("dds-1", key.path("kid").asText());
        assertEquals("RS256", key.path("alg").asText());
        for (String secret : new String[] {"d", "p", "q", "dp", "dq", "qi"}) {
            assertTrue(key.path(secret).isMissingNode(), "the JWKS carries the private member " + secret);
        }
    }
}
