package kh.dds.api.lookup;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.lookupRecord;
import static kh.dds.api.ApiTestSupport.lookupRecordsOf;
import static kh.dds.api.ApiTestSupport.newKidc;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.person;
import static kh.dds.api.ApiTestSupport.sokDara;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/persons/{kidc}}: exactly the fields of the caller's own contract's data policy, nothing more; each
 * answer and refusal audited with the fields it disclosed.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class PersonLookupTest {

    private static Response lookup(Party party, String kidc) {
        return given().auth().oauth2(party.token()).header("X-Operator-Id", "officer-3")
                .queryParam("purpose", "KYC_ACCOUNT_OPENING").get("/v1/persons/" + kidc);
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void theAnswerHoldsExactlyThePolicysFieldsInTheRegistrysNames() throws Exception {
        Party bank = party(Map.of("dataPolicy", Map.of("fields", List.of("familyName", "dateOfBirth"))));
        String kidc = activePerson();
        Response response = lookup(bank, kidc);
        response.then().statusCode(200);
        JsonNode body = ApiTestSupport.JSON.readTree(response.asString());
        assertEquals(new TreeSet<>(List.of("kidc", "familyNameKh", "familyNameLatin", "dateOfBirth", "dataAsOf")),
                keys(body));
        assertEquals("SOK", body.path("familyNameLatin").asText());
        assertEquals("សុខ", body.path("familyNameKh").asText());
        assertEquals("1990-05-17", body.path("dateOfBirth").asText());
        assertEquals("2026-11-23T08:00:00Z", body.path("dataAsOf").asText());

        JsonNode record = lookupRecord(response.header("Lookup-Id"));
        assertEquals("LOOKUP", record.path("product").asText());
        assertEquals("FOUND", record.path("decision").asText());
        List<String> disclosed = new ArrayList<>();
        record.path("fieldsDisclosed").forEach(field -> disclosed.add(field.asText()));
        assertEquals(List.of("familyName", "dateOfBirth"), disclosed);
        assertTrue(record.path("billable").asBoolean());
    }

    @Test
    void anotherContractSeesItsOwnPolicyAndNeverTheFirstOnes() throws Exception {
        Party telco = party(Map.of("dataPolicy", Map.of("fields", List.of("address", "documents", "status"))));
        Party narrow = party(Map.of("dataPolicy", Map.of("fields", List.of())));
        String kidc = activePerson();
        JsonNode body = ApiTestSupport.JSON.readTree(lookup(telco, kidc).then().statusCode(200).extract().asString());
        assertEquals(new TreeSet<>(List.of("kidc", "address", "documents", "status", "dataAsOf")), keys(body));
        assertEquals("ACTIVE", body.path("status").asText());
        assertFalse(body.toString().contains("SOK"), "no name outside the policy");

        JsonNode nothing = ApiTestSupport.JSON.readTree(lookup(narrow, kidc).then().statusCode(200).extract().asString());
        assertEquals(new TreeSet<>(List.of("kidc", "dataAsOf")), keys(nothing));
    }

    @Test
    void aPolicyChangeNarrowsTheAnswerAtOnce() throws Exception {
        Party bank = party(Map.of("dataPolicy", Map.of("fields", List.of("familyName", "givenName", "sex"))));
        String kidc = activePerson();
        lookup(bank, kidc).then().statusCode(200).body("sex", equalTo("M"));
        given().auth().oauth2(ApiTestSupport.adminToken()).contentType("application/json")
                .body(Map.of("dataPolicy", Map.of("fields", List.of("familyName"))))
                .patch("/v1/admin/contracts/" + bank.contractId()).then().statusCode(200);
        JsonNode body = ApiTestSupport.JSON.readTree(lookup(bank, kidc).then().statusCode(200).extract().asString());
        assertEquals(new TreeSet<>(List.of("kidc", "familyNameKh", "familyNameLatin", "dataAsOf")), keys(body));
    }

    @Test
    void aDeceasedPersonsDateOfDeathIsDisclosedOnlyWhenListed() throws Exception {
        Party ministry = party(Map.of("dataPolicy", Map.of("fields", List.of("status", "dateOfDeath"))));
        Party bank = party(Map.of("dataPolicy", Map.of("fields", List.of("familyName"))));
        String kidc = newKidc();
        person(kidc, "DECEASED", sokDara(), LocalDate.of(2026, 1, 2), null);
        lookup(ministry, kidc).then().statusCode(200).body("status", equalTo("DECEASED"))
                .body("dateOfDeath", equalTo("2026-01-02"));
        assertFalse(lookup(bank, kidc).then().statusCode(200).extract().asString().contains("2026-01-02"));
    }

    @Test
    void unknownRetiredAndMalformedKidcsAreRefusedAuditedAndNotBilled() throws Exception {
        Party bank = party(Map.of());
        lookup(bank, newKidc()).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://dds.gov.kh/problems/not-found"));
        String retired = newKidc();
        person(retired, "RETIRED", sokDara(), null, activePerson());
        lookup(bank, retired).then().statusCode(410)
                .body("type", equalTo("https://dds.gov.kh/problems/kidc-retired"));
        lookup(bank, "12345").then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-kidc"));
        List<JsonNode> records = lookupRecordsOf(bank.contractId());
        assertEquals(3, records.size());
        assertTrue(records.stream().noneMatch(r -> r.path("billable").asBoolean()));
        assertTrue(records.stream().allMatch(r -> r.path("fieldsDisclosed").isEmpty()));
    }

    @Test
    void aVerifyOnlyContractCannotRetrieveAttributes() throws Exception {
        Party verifier = party(Map.of("products", List.of("VERIFY")), "verify");
        lookup(verifier, activePerson()).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/scope-missing"));
    }
}
