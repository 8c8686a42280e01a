package kh.dds.api.http;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.adminToken;
import static kh.dds.api.ApiTestSupport.party;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/** Nothing that holds a secret or personal data may be kept by a cache: every /v1 and /oauth answer says so. */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class NoStoreAnswersTest {

    private static void assertNoStore(Response response, String what) {
        assertEquals("no-store", response.header("Cache-Control"), what + ": Cache-Control");
        assertEquals("no-cache", response.header("Pragma"), what + ": Pragma");
    }

    @Test
    void tokensSecretsPersonsVerificationsRecordsAndProblemsAreNeverStored() throws Exception {
        Response token = ApiTestSupport.tokenResponse(ApiTestSupport.ADMIN_CLIENT, ApiTestSupport.ADMIN_SECRET, null);
        assertEquals(200, token.statusCode());
        assertNoStore(token, "a token");
        Response refused = ApiTestSupport.tokenResponse(ApiTestSupport.ADMIN_CLIENT, "wrong", null);
        assertEquals(401, refused.statusCode());
        assertNoStore(refused, "a refused token request");

        String admin = adminToken();
        String contract = ApiTestSupport.contract(Map.of());
        Response client = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("scopes", java.util.List.of("verify"))).post("/v1/admin/contracts/" + contract + "/clients");
        assertEquals(201, client.statusCode());
        assertNoStore(client, "a new client's secret");
        assertNoStore(given().auth().oauth2(admin).get("/v1/admin/contracts/" + contract), "a contract");

        Party bank = party(Map.of());
        String kidc = activePerson();
        Response person = given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1")
                .queryParam("purpose", "KYC_ACCOUNT_OPENING").get("/v1/persons/" + kidc);
        assertEquals(200, person.statusCode());
        assertNoStore(person, "a person");
        Response verification = given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1")
                .contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\",\"claims\":{\"familyName\":\"SOK\"}}")
                .post("/v1/verifications");
        assertEquals(200, verification.statusCode());
        assertNoStore(verification, "a verification");
        Response records = given().auth().oauth2(admin).queryParam("contract", bank.contractId())
                .get("/v1/audit/records");
        assertEquals(200, records.statusCode());
        assertNoStore(records, "lookup records");
        assertNoStore(given().auth().oauth2(admin).queryParam("contract", bank.contractId())
                .get("/v1/audit/records.csv"), "lookup records as CSV");

        Response unauthenticated = given().get("/v1/persons/" + kidc);
        assertEquals(401, unauthenticated.statusCode());
        assertNoStore(unauthenticated, "a 401 problem");
        assertNoStore(given().auth().oauth2(admin).get("/v1/no-such-thing"), "a 404");
    }

    @Test
    void thePublicVerificationKeysMayBeCached() {
        Response jwks = given().get("/oauth/jwks");
        assertEquals(200, jwks.statusCode());
        assertFalse("no-store".equals(jwks.header("Cache-Control")));
        assertTrue(NoStoreAnswers.holdsSecretsOrPersonalData("/oauth/token"));
        assertFalse(NoStoreAnswers.holdsSecretsOrPersonalData("/q/health/ready"));
    }
}
