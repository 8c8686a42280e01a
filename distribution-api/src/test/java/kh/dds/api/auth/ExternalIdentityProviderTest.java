package kh.dds.api.auth;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.adminToken;
import static kh.dds.api.ApiTestSupport.contract;
import static kh.dds.api.ApiTestSupport.tokenResponse;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.localstack.KeycloakProcess;
import kh.dds.localstack.KeycloakRealm;
import kh.dds.localstack.KeycloakResource;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4: "an external identity provider can replace the token endpoint by configuration alone", proved against the
 * build's real Keycloak: the realm's relying party {@code dds-rp-demo} takes a client-credentials token from
 * Keycloak, and the API accepts it with the same scopes, contract binding, suspension and revocation rules as its
 * own tokens; tokens for another audience, from an issuer the API does not trust, without the scope, or naming
 * another contract are refused. The only change to the API is configuration: {@code api.token.trusted-issuers}.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
@WithTestResource(value = KeycloakResource.class, initArgs = {
        @ResourceArg(name = "issuer", value = "api.token.trusted-issuers.keycloak.issuer"),
        @ResourceArg(name = "jwks", value = "api.token.trusted-issuers.keycloak.jwks")})
class ExternalIdentityProviderTest {

    private static final String CLIENT = "dds-rp-demo";
    private static final String SECRET = "dds-rp-demo-local-secret";
    private static final String SERVICE_ACCOUNT = "service-account-" + CLIENT;

    private final KeycloakProcess keycloak = KeycloakResource.keycloak();
    private final KeycloakRealm realm = keycloak.realm();
    private String contractId;

    /** A contract of the API, the Keycloak client bound to it in both places: the realm and the API. */
    @BeforeEach
    void registerTheRelyingParty() throws Exception {
        contractId = contract(Map.of());
        realm.bindContract(SERVICE_ACCOUNT, contractId);
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM api.api_client WHERE client_id = ?")) {
            // each test registers the realm's one client afresh
            delete.setString(1, CLIENT);
            delete.executeUpdate();
        }
        admin().body(Map.of("scopes", List.of("verify", "lookup"), "issuer", keycloak.issuer(), "clientId", CLIENT))
                .post("/v1/admin/contracts/" + contractId + "/clients").then().statusCode(201)
                .body("clientId", equalTo(CLIENT))
                .body("clientSecret", nullValue())
                .body("contractId", equalTo(contractId));
    }

    @Test
    void aKeycloakClientCredentialsTokenVerifiesAPerson() throws Exception {
        String token = realm.clientCredentialsToken(CLIENT, SECRET, "verify");
        verify(token).then().statusCode(200).body("decision", notNullValue());
    }

    @Test
    void aSuspendedContractAndARevokedClientAreRefusedAsForTheApisOwnTokens() throws Exception {
        String token = realm.clientCredentialsToken(CLIENT, SECRET, "verify");
        verify(token).then().statusCode(200);

        admin().body(Map.of("status", "SUSPENDED")).patch("/v1/admin/contracts/" + contractId)
                .then().statusCode(200);
        verify(token).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/contract-suspended"));
        admin().body(Map.of("status", "ACTIVE")).patch("/v1/admin/contracts/" + contractId)
                .then().statusCode(200);
        verify(token).then().statusCode(200);

        admin().delete("/v1/admin/clients/" + CLIENT).then().statusCode(204);
        verify(token).then().statusCode(401)
                .body("type", equalTo("https://dds.gov.kh/problems/client-revoked"));
        // and a token Keycloak issues after the revocation too
        verify(realm.clientCredentialsToken(CLIENT, SECRET, "verify")).then().statusCode(401);
    }

    @Test
    void aTokenWithoutTheScopeIsRefused() throws Exception {
        String token = realm.clientCredentialsToken(CLIENT, SECRET, "usage");
        verify(token).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/scope-missing"));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        realm.bindContract("service-account-dds-reporting-tool", contractId);
        String token = realm.clientCredentialsToken("dds-reporting-tool", "dds-reporting-tool-local-secret",
                "verify");
        verify(token).then().statusCode(401);
    }

    @Test
    void aTokenOfAnIssuerTheApiDoesNotTrustIsRefused() throws Exception {
        // Keycloak's master realm: a real, well-signed token of a realm the API was not told to trust
        String token = given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", keycloak.adminPassword())
                .post(keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        verify(token).then().statusCode(401);
    }

    @Test
    void aTokenNamingAnotherContractThanTheClientsIsRefused() throws Exception {
        realm.bindContract(SERVICE_ACCOUNT, contract(Map.of()));
        String token = realm.clientCredentialsToken(CLIENT, SECRET, "verify");
        verify(token).then().statusCode(401);
    }

    @Test
    void theApisTokenEndpointIssuesNothingForAnExternalClient() {
        tokenResponse(CLIENT, SECRET, "verify").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void onlyATrustedIssuerCanBeRegisteredAndAnExternalClientIsNotRotatedHere() {
        admin().body(Map.of("scopes", List.of("verify"), "issuer", "https://idp.example/realms/x", "clientId", "x"))
                .post("/v1/admin/contracts/" + contractId + "/clients").then().statusCode(400);
        admin().post("/v1/admin/clients/" + CLIENT + "/rotate").then().statusCode(409)
                .body("type", equalTo("https://dds.gov.kh/problems/external-client"));
    }

    private static Response verify(String token) throws Exception {
        return given().auth().oauth2(token).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + activePerson() + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}")
                .post("/v1/verifications");
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(adminToken()).contentType(ContentType.JSON);
    }
}
