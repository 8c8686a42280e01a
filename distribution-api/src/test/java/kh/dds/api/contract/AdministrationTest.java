package kh.dds.api.contract;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.adminToken;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.tokenResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/**
 * Tariffs, contracts and clients through the admin API (scope {@code admin}), and what each change does to the
 * relying party's calls: a suspension, an expiry, a rotation, a revocation.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class AdministrationTest {

    private static Response verify(String token) throws Exception {
        return given().auth().oauth2(token).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + activePerson() + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}")
                .post("/v1/verifications");
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(adminToken()).contentType(ContentType.JSON);
    }

    @Test
    void aTariffIsCreatedWithGraduatedTiersAndBadTiersAreRefused() {
        String id = admin().body("""
                {"name":"Banks 2027","currency":"KHR","products":{
                  "VERIFY":[{"upTo":100000,"unitPrice":400},{"upTo":null,"unitPrice":250}],
                  "LOOKUP":[{"upTo":null,"unitPrice":0}]}}""")
                .post("/v1/admin/tariffs").then().statusCode(201)
                .header("Location", notNullValue())
                .body("products.VERIFY", hasSize(2))
                .extract().path("id");
        admin().get("/v1/admin/tariffs/" + id).then().statusCode(200).body("products.VERIFY[1].unitPrice", equalTo(250));

        admin().body("""
                {"name":"bad","currency":"USD","products":{"VERIFY":[{"upTo":null,"unitPrice":1}]}}""")
                .post("/v1/admin/tariffs").then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        admin().body("""
                {"name":"bad","currency":"KHR","products":{"VERIFY":[{"upTo":100,"unitPrice":1},{"upTo":50,"unitPrice":1},{"upTo":null,"unitPrice":1}]}}""")
                .post("/v1/admin/tariffs").then().statusCode(400);
        admin().body("""
                {"name":"bad","currency":"KHR","products":{"TELEPATHY":[{"upTo":null,"unitPrice":1}]}}""")
                .post("/v1/admin/tariffs").then().statusCode(400);
        admin().get("/v1/admin/tariffs/" + UUID.randomUUID()).then().statusCode(404)
                .body("type", equalTo("https://dds.gov.kh/problems/not-found"));
    }

    @Test
    void aContractIsCreatedReadAndPatchedAndBadTermsAreRefused() {
        String id = ApiTestSupport.contract(Map.of("monthlyQuota", 1000, "minCellSize", 20));
        admin().get("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("monthlyQuota", equalTo(1000)).body("minCellSize", equalTo(20))
                .body("dataPolicy.fields", hasSize(3)).body("operatorIdRequired", equalTo(true));
        admin().body(Map.of("rateLimitPerSecond", 5)).patch("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("rateLimitPerSecond", equalTo(5)).body("monthlyQuota", equalTo(1000));
        admin().body(Map.of("dataPolicy", Map.of("fields", List.of("favouriteColour"))))
                .patch("/v1/admin/contracts/" + id).then().statusCode(400);
        admin().body(Map.of("organisation", "x", "kind", "BANK", "validFrom", "2026-01-01", "products", List.of("VERIFY"),
                        "purposes", List.of("KYC"), "rateLimitPerSecond", 0))
                .post("/v1/admin/contracts").then().statusCode(400);
        admin().body(Map.of("organisation", "x", "kind", "BANK", "validFrom", "2026-01-01", "validTo", "2025-01-01",
                        "products", List.of("VERIFY"), "purposes", List.of("KYC"), "rateLimitPerSecond", 10))
                .post("/v1/admin/contracts").then().statusCode(400).body("detail", equalTo(
                        "validTo: must not be before validFrom"));
        admin().body(Map.of("scopes", List.of("admin"))).post("/v1/admin/contracts/" + id + "/clients")
                .then().statusCode(400);
    }

    /**
     * SPEC §4 "Input rules" on the administrators' free text: a contract's organisation (created or patched) and a
     * tariff's name holding NUL, another control character or DEL are refused 400 as problem+json naming the field,
     * never stored (PostgreSQL's text refuses NUL, which was a 500) and never echoed.
     */
    @Test
    void anOrganisationOrTariffNameWithControlCharactersIsRefused() {
        String id = ApiTestSupport.contract(Map.of());
        String organisation = admin().get("/v1/admin/contracts/" + id).then().extract().path("organisation");
        for (String hostile : List.of("Bank\u0000Plc", "Bank\u0007", "Bank\nLtd", "Bank\u007f")) {
            admin().body(Map.of("organisation", hostile, "kind", "BANK", "validFrom", "2026-01-01",
                            "products", List.of("VERIFY"), "purposes", List.of("KYC"), "rateLimitPerSecond", 10))
                    .post("/v1/admin/contracts").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://dds.gov.kh/problems/invalid-request"))
                    .body("detail", equalTo("organisation: contains a control character"));
            admin().body(Map.of("organisation", hostile)).patch("/v1/admin/contracts/" + id).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("organisation: contains a control character"));
            admin().body(Map.of("name", hostile, "currency", "KHR",
                            "products", Map.of("VERIFY", List.of(Map.of("unitPrice", 100)))))
                    .post("/v1/admin/tariffs").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("name: contains a control character"));
        }
        admin().get("/v1/admin/contracts/" + id).then().statusCode(200).body("organisation", equalTo(organisation));
    }

    private static String tariff(String name) {
        return admin().body(Map.of("name", name, "currency", "KHR",
                        "products", Map.of("VERIFY", List.of(Map.of("unitPrice", 100)))))
                .post("/v1/admin/tariffs").then().statusCode(201).extract().path("id");
    }

    /** The history as billing reads it, straight from the table: effective_from=tariff_id in date order. */
    private static List<String> historyRows(String contractId) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement query = connection.prepareStatement("SELECT effective_from, tariff_id, assigned_at "
                     + "FROM api.contract_tariff WHERE contract_id = ?::uuid ORDER BY effective_from")) {
            query.setString(1, contractId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    if (result.getTimestamp("assigned_at") == null) {
                        throw new AssertionError("assigned_at is required");
                    }
                    rows.add(result.getDate("effective_from").toLocalDate() + "=" + result.getString("tariff_id"));
                }
            }
        }
        return rows;
    }

    @Test
    void aTariffChangeTakesEffectFromItsDayAndNeverInAClosedMonth() throws Exception {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Phnom_Penh"));
        LocalDate later = today.plusDays(10);
        String first = tariff("Banks 2026");
        String second = tariff("Banks 2027");
        String third = tariff("Banks, discounted");
        String id = ApiTestSupport.contract(Map.of("validFrom", "2026-01-01", "tariffId", first));
        admin().get("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("tariffId", equalTo(first))
                .body("tariffs", hasSize(1))
                .body("tariffs[0].effectiveFrom", equalTo("2026-01-01"))
                .body("tariffs[0].tariffId", equalTo(first));

        // a change from a later day; then one without a day, which takes effect today in Phnom Penh
        admin().body(Map.of("tariffId", second, "tariffEffectiveFrom", later.toString()))
                .patch("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("tariffId", equalTo(second)).body("tariffs", hasSize(2));
        admin().body(Map.of("tariffId", third)).patch("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("tariffId", equalTo(third))
                .body("tariffs.effectiveFrom", equalTo(List.of("2026-01-01", today.toString(), later.toString())))
                .body("tariffs.tariffId", equalTo(List.of(first, third, second)));
        // a second change for the same day replaces the first
        admin().body(Map.of("tariffId", first, "tariffEffectiveFrom", today.toString()))
                .patch("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("tariffs.tariffId", equalTo(List.of(first, first, second)));
        admin().get("/v1/admin/contracts").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.tariffs.effectiveFrom",
                        equalTo(List.of("2026-01-01", today.toString(), later.toString())));

        // the previous month is being or has been invoiced: refused, and nothing changes
        LocalDate lastMonth = today.withDayOfMonth(1).minusDays(1);
        admin().body(Map.of("tariffId", third, "tariffEffectiveFrom", lastMonth.toString()))
                .patch("/v1/admin/contracts/" + id).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://dds.gov.kh/problems/tariff-change-in-closed-month"));
        admin().body(Map.of("tariffEffectiveFrom", today.toString())).patch("/v1/admin/contracts/" + id)
                .then().statusCode(400).body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        admin().body(Map.of("tariffId", UUID.randomUUID().toString())).patch("/v1/admin/contracts/" + id)
                .then().statusCode(400).body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        admin().get("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("tariffId", equalTo(first))
                .body("tariffs.tariffId", equalTo(List.of(first, first, second)));
        assertEquals(List.of("2026-01-01=" + first, today + "=" + first, later + "=" + second), historyRows(id));
    }

    @Test
    void aTariffChangeToAContractNotBegunTakesEffectFromItsFirstDay() throws Exception {
        LocalDate start = LocalDate.now(ZoneId.of("Asia/Phnom_Penh")).withDayOfMonth(1).plusMonths(1);
        String first = tariff("Telcos 2027");
        String second = tariff("Telcos 2027, revised");
        String id = ApiTestSupport.contract(Map.of("validFrom", start.toString(), "tariffId", first));
        admin().body(Map.of("tariffId", second)).patch("/v1/admin/contracts/" + id).then().statusCode(200)
                .body("tariffs.effectiveFrom", equalTo(List.of(start.toString())))
                .body("tariffs.tariffId", equalTo(List.of(second)));
        admin().body(Map.of("tariffId", first, "tariffEffectiveFrom", start.minusDays(1).toString()))
                .patch("/v1/admin/contracts/" + id).then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        String untariffed = ApiTestSupport.contract(Map.of());
        admin().get("/v1/admin/contracts/" + untariffed).then().statusCode(200).body("tariffs", hasSize(0));
    }

    @Test
    void onlyTheAdminScopeAdministers() throws Exception {
        Party bank = party(Map.of());
        given().auth().oauth2(bank.token()).get("/v1/admin/contracts").then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/scope-missing"));
        given().auth().oauth2(bank.token()).get("/v1/admin/contracts/" + bank.contractId()).then().statusCode(403);
        given().get("/v1/admin/contracts").then().statusCode(401);
    }

    @Test
    void aSuspendedContractIsRefusedAndAResumedOneServed() throws Exception {
        Party bank = party(Map.of());
        verify(bank.token()).then().statusCode(200);
        admin().body(Map.of("status", "SUSPENDED")).patch("/v1/admin/contracts/" + bank.contractId())
                .then().statusCode(200).body("status", equalTo("SUSPENDED"));
        verify(bank.token()).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/contract-suspended"));
        tokenResponse(bank.clientId(), bank.clientSecret(), null).then().statusCode(400)
                .body("error", equalTo("unauthorized_client"));
        admin().body(Map.of("status", "ACTIVE")).patch("/v1/admin/contracts/" + bank.contractId())
                .then().statusCode(200);
        verify(bank.token()).then().statusCode(200);
    }

    @Test
    void aSuspensionMadeOnAnotherNodeIsRefusedHereWithinTheRefreshBound() throws Exception {
        Party bank = party(Map.of());
        verify(bank.token()).then().statusCode(200);
        // as another node would: the row changes, this node's directory is not told
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE api.contract SET status = 'SUSPENDED' WHERE id = ?::uuid")) {
            update.setString(1, bank.contractId());
            update.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                verify(bank.token()).statusCode() == 403);
    }

    @Test
    void anExpiredContractIsRefused() throws Exception {
        Party bank = party(Map.of("validFrom", "2025-01-01"));
        verify(bank.token()).then().statusCode(200);
        admin().body(Map.of("validTo", "2025-12-31")).patch("/v1/admin/contracts/" + bank.contractId())
                .then().statusCode(200);
        verify(bank.token()).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/contract-expired"));
        tokenResponse(bank.clientId(), bank.clientSecret(), null).then().statusCode(400)
                .body("error", equalTo("unauthorized_client"));
    }

    @Test
    void aRotatedSecretKeepsThePreviousOneWorkingForTheOverlap() throws Exception {
        Party bank = party(Map.of());
        Instant before = Instant.now();
        Response rotated = admin().post("/v1/admin/clients/" + bank.clientId() + "/rotate");
        rotated.then().statusCode(200).body("clientId", equalTo(bank.clientId())).body("clientSecret", notNullValue());
        Instant until = Instant.parse(rotated.path("previousSecretValidUntil"));
        assertTrue(!until.isBefore(before.plus(Duration.ofHours(24))) && until.isBefore(Instant.now()
                .plus(Duration.ofHours(24)).plusSeconds(5)), "the default overlap is 24 h: " + until);
        // both secrets work during the overlap, and the tokens already issued stay good
        tokenResponse(bank.clientId(), bank.clientSecret(), null).then().statusCode(200);
        tokenResponse(bank.clientId(), rotated.path("clientSecret"), null).then().statusCode(200);
        verify(bank.token()).then().statusCode(200);
        admin().get("/v1/admin/contracts/" + bank.contractId() + "/clients").then().statusCode(200)
                .body("[0].previousSecretValidUntil", notNullValue());
    }

    @Test
    void thePreviousSecretStopsWhenTheOverlapEnds() {
        Party bank = party(Map.of());
        String second = admin().queryParam("overlap", "PT1S").post("/v1/admin/clients/" + bank.clientId() + "/rotate")
                .then().statusCode(200).extract().path("clientSecret");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() ->
                tokenResponse(bank.clientId(), bank.clientSecret(), null).statusCode() == 401);
        tokenResponse(bank.clientId(), second, null).then().statusCode(200);
        // a second rotation ends the first one's overlap: only the last two secrets work
        String third = admin().post("/v1/admin/clients/" + bank.clientId() + "/rotate").then().statusCode(200)
                .extract().path("clientSecret");
        String fourth = admin().post("/v1/admin/clients/" + bank.clientId() + "/rotate").then().statusCode(200)
                .extract().path("clientSecret");
        tokenResponse(bank.clientId(), second, null).then().statusCode(401);
        tokenResponse(bank.clientId(), third, null).then().statusCode(200);
        tokenResponse(bank.clientId(), fourth, null).then().statusCode(200);
    }

    @Test
    void aRotationWithoutOverlapStopsThePreviousSecretAndEveryTokenIssuedBefore() throws Exception {
        Party bank = party(Map.of());
        String earlier = bank.token();
        verify(earlier).then().statusCode(200);
        Response rotated = admin().queryParam("overlap", "PT0S").post("/v1/admin/clients/" + bank.clientId()
                + "/rotate");
        rotated.then().statusCode(200).body("previousSecretValidUntil", nullValue());
        tokenResponse(bank.clientId(), bank.clientSecret(), null).then().statusCode(401);
        verify(earlier).then().statusCode(401).body("type", equalTo("https://dds.gov.kh/problems/unauthorized"));
        // a token of the new secret is good at once, even within the second of the rotation
        String fresh = ApiTestSupport.token(bank.clientId(), rotated.path("clientSecret"));
        verify(fresh).then().statusCode(200);
        admin().get("/v1/admin/contracts/" + bank.contractId() + "/clients").then().statusCode(200)
                .body("[0].tokensValidAfter", notNullValue());
    }

    @Test
    void aRotationWithoutOverlapOnAnotherNodeRefusesEarlierTokensHereWithinTheRefreshBound() throws Exception {
        Party bank = party(Map.of());
        verify(bank.token()).then().statusCode(200);
        // as another node would: the row changes, this node's directory is not told
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement update = connection.prepareStatement("UPDATE api.api_client SET tokens_valid_after "
                     + "= date_trunc('second', now()) + interval '1 second' WHERE client_id = ?")) {
            update.setString(1, bank.clientId());
            update.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                verify(bank.token()).statusCode() == 401);
    }

    @Test
    void aRevocationRefusesEveryTokenIssuedBeforeIt() throws Exception {
        Party bank = party(Map.of());
        String token = bank.token();
        verify(token).then().statusCode(200);
        admin().delete("/v1/admin/clients/" + bank.clientId()).then().statusCode(204);
        verify(token).then().statusCode(401);
        tokenResponse(bank.clientId(), bank.clientSecret(), null).then().statusCode(401);
        admin().get("/v1/admin/contracts/" + bank.contractId() + "/clients").then().statusCode(200)
                .body("[0].status", equalTo("REVOKED")).body("[0].tokensValidAfter", notNullValue());
        admin().post("/v1/admin/clients/" + bank.clientId() + "/rotate").then().statusCode(409);
    }

    @Test
    void anOverlapOutsideItsBoundsIsRefused() {
        Party bank = party(Map.of());
        for (String overlap : List.of("P30D", "-PT1H", "banana", "PT")) {
            admin().queryParam("overlap", overlap).post("/v1/admin/clients/" + bank.clientId() + "/rotate")
                    .then().statusCode(400).body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        }
        tokenResponse(bank.clientId(), bank.clientSecret(), null).then().statusCode(200);
    }

    @Test
    void clientsAreListedWithoutSecrets() {
        Party bank = party(Map.of());
        admin().get("/v1/admin/contracts/" + bank.contractId() + "/clients").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].clientId", equalTo(bank.clientId()))
                .body("[0].clientSecret", nullValue())
                .body("[0].secretHash", nullValue());
    }
}
