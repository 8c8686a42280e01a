package kh.dds.api.audit;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.party;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import org.junit.jupiter.api.Test;

/**
 * No answer goes out whose audit record is not durable: with the broker taken away (SIGKILL), a verification fails
 * closed with {@code 503 audit-unavailable} and discloses nothing; the record it could not write never turns up
 * later; once the broker is back, calls are answered and audited again.
 */
@QuarkusTest
@WithTestResource(BrokerProcessResource.class)
class AuditFailClosedTest {

    private static Response verify(Party party, String kidc) {
        return given().auth().oauth2(party.token()).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\",\"claims\":{\"familyName\":\"SOK\"}}")
                .post("/v1/verifications");
    }

    @Test
    void withoutTheBrokerTheCallFailsClosedAndNothingIsDisclosed() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        String answered = verify(bank, kidc).then().statusCode(200).body("decision", equalTo("MATCH"))
                .extract().path("verificationId");

        BrokerProcessResource.broker().kill();
        Response refused = verify(bank, kidc);
        refused.then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("https://dds.gov.kh/problems/audit-unavailable"));
        assertFalse(refused.asString().contains("MATCH"), "no part of the answer leaves without its record");
        String lost = refused.header("Lookup-Id");
        assertNotNull(lost);

        BrokerProcessResource.broker().start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> verify(bank, kidc).statusCode() == 200);

        String servers = BrokerProcessResource.broker().bootstrapServers();
        List<JsonNode> records = ApiTestSupport.lookupRecords(servers,
                record -> bank.contractId().equals(record.path("contractId").asText()));
        assertEquals(1, records.stream().filter(r -> answered.equals(r.path("lookupId").asText())).count());
        assertEquals(0, records.stream().filter(r -> lost.equals(r.path("lookupId").asText())).count(),
                "the record of the refused call did not become durable after its refusal");
        assertEquals(records.size(), records.stream().map(r -> r.path("lookupId").asText()).distinct().count(),
                "no record twice");
    }
}
