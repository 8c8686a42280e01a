package kh.dds.api.verification;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.lookupRecord;
import static kh.dds.api.ApiTestSupport.lookupRecordsOf;
import static kh.dds.api.ApiTestSupport.newKidc;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.person;
import static kh.dds.api.ApiTestSupport.sokDara;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.schema.event.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/verifications} end to end: a real token, a real contract, the replica's read model in PostgreSQL,
 * Redis in front, and the lookup record read back from Kafka for every answer and every refusal.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class VerificationApiTest {

    private static final String PURPOSE = "KYC_ACCOUNT_OPENING";
    private static Party bank;

    /** A bank whose contract allows verifications; made once, in the first test (RestAssured knows the port then). */
    private static synchronized Party bank() {
        if (bank == null) {
            bank = party(Map.of());
        }
        return bank;
    }

    private static Response verify(Party party, String body) {
        return given().auth().oauth2(party.token()).header("X-Operator-Id", "teller-7")
                .contentType(ContentType.JSON).body(body).post("/v1/verifications");
    }

    private static String request(String kidc, String claims) {
        return """
                {"kidc":"%s","purpose":"%s","reference":"ref-1","claims":%s}""".formatted(kidc, PURPOSE, claims);
    }

    @Test
    void aFullMatchInLatinScriptIsAnsweredAndAudited() throws Exception {
        String kidc = activePerson();
        Response response = verify(bank(), request(kidc, """
                {"familyName":"sok","givenName":"Dara","dateOfBirth":"1990-05-17","sex":"M",
                 "documentNumber":"010203040","address":{"province":"12","district":"1201"}}"""));
        response.then().statusCode(200)
                .body("kidcStatus", equalTo("ACTIVE"))
                .body("decision", equalTo("MATCH"))
                .body("claims.familyName", equalTo("MATCH"))
                .body("claims.givenName", equalTo("MATCH"))
                .body("claims.dateOfBirth", equalTo("MATCH"))
                .body("claims.sex", equalTo("MATCH"))
                .body("claims.documentNumber", equalTo("MATCH"))
                .body("claims.address", equalTo("MATCH"))
                .body("reference", equalTo("ref-1"))
                .body("dataAsOf", equalTo("2026-11-23T08:00:00Z"));
        String id = response.path("verificationId");
        assertEquals(id, response.header("Lookup-Id"));

        JsonNode record = lookupRecord(id);
        assertEquals(bank().contractId(), record.path("contractId").asText());
        assertEquals(bank().clientId(), record.path("clientId").asText());
        assertEquals("teller-7", record.path("operatorId").asText());
        assertEquals(PURPOSE, record.path("purpose").asText());
        assertEquals("VERIFY", record.path("product").asText());
        assertEquals(kidc, record.path("subjectKidc").asText());
        assertEquals("ANSWERED", record.path("outcome").asText());
        assertEquals("MATCH", record.path("decision").asText());
        assertEquals(200, record.path("httpStatus").asInt());
        assertTrue(record.path("billable").asBoolean());
        assertEquals(0, record.path("fieldsDisclosed").size(), "a verification discloses no field");
    }

    @Test
    void noRegistryValueEverAppearsInTheAnswer() throws Exception {
        String kidc = activePerson();
        String body = verify(bank(), request(kidc, """
                {"familyName":"CHAN","givenName":"DARA","dateOfBirth":"1990","sex":"F","documentNumber":"999"}"""))
                .then().statusCode(200).body("decision", equalTo("NO_MATCH")).extract().asString();
        for (String value : List.of("SOK", "សុខ", "ដារ៉ា", "1990-05-17", "010203040", "1201", "KHM", "MARRIED")) {
            assertFalse(body.contains(value), "the answer discloses " + value + ": " + body);
        }
    }

    @Test
    void khmerScriptNfdInputAndZeroWidthCharactersAreNormalisedBeforeMatching() throws Exception {
        String kidc = activePerson();
        String nfdKhmerGiven = java.text.Normalizer.normalize("ដារ៉ា", java.text.Normalizer.Form.NFD);
        verify(bank(), request(kidc, """
                {"familyName":"\u200bសុខ ","givenName":"%s"}""".formatted(nfdKhmerGiven)))
                .then().statusCode(200)
                .body("decision", equalTo("MATCH"))
                .body("claims.familyName", equalTo("MATCH"))
                .body("claims.givenName", equalTo("MATCH"));
        verify(bank(), request(kidc, """
                {"familyName":"  s\u200dok  ","givenName":"DARA"}"""))
                .then().statusCode(200).body("claims.familyName", equalTo("MATCH"));
    }

    @Test
    void aCloseTransliterationAndACoarserDateArePartial() throws Exception {
        String kidc = activePerson();
        verify(bank(), request(kidc, """
                {"familyName":"SOKH","dateOfBirth":"1990-05"}"""))
                .then().statusCode(200)
                .body("decision", equalTo("PARTIAL_MATCH"))
                .body("claims.familyName", equalTo("PARTIAL"))
                .body("claims.dateOfBirth", equalTo("PARTIAL"));
        String partialBirth = newKidc();
        person(partialBirth, "ACTIVE", sokDara().replace("\"1990-05-17\"", "\"1990-05\""), null, null);
        verify(bank(), request(partialBirth, """
                {"dateOfBirth":"1990-05-17"}"""))
                .then().statusCode(200)
                .body("decision", equalTo("PARTIAL_MATCH"))
                .body("claims.dateOfBirth", equalTo("PARTIAL"));
    }

    @Test
    void predicatesAnswerYesOrNoOnly() throws Exception {
        String kidc = activePerson();
        String body = """
                {"kidc":"%s","purpose":"%s","conditions":{"ageAtLeast":18,"alive":true,"residentInProvince":"12"}}"""
                .formatted(kidc, PURPOSE);
        verify(bank(), body).then().statusCode(200)
                .body("decision", equalTo("MATCH"))
                .body("conditions.ageAtLeast", is(true))
                .body("conditions.alive", is(true))
                .body("conditions.residentInProvince", is(true));
        verify(bank(), body.replace("\"ageAtLeast\":18", "\"ageAtLeast\":60")).then().statusCode(200)
                .body("conditions.ageAtLeast", is(false));
    }

    @Test
    void deceasedRetiredAndUnknownKidcsAreNoMatch() throws Exception {
        String deceased = newKidc();
        person(deceased, "DECEASED", sokDara(), LocalDate.of(2026, 1, 2), null);
        verify(bank(), request(deceased, "{\"familyName\":\"SOK\"}")).then().statusCode(200)
                .body("kidcStatus", equalTo("DECEASED"))
                .body("decision", equalTo("NO_MATCH"))
                .body("claims.familyName", equalTo("MATCH"));

        String survivor = activePerson();
        String retired = newKidc();
        person(retired, "RETIRED", sokDara(), null, survivor);
        String retiredBody = verify(bank(), request(retired, "{\"familyName\":\"SOK\"}")).then().statusCode(200)
                .body("kidcStatus", equalTo("RETIRED"))
                .body("decision", equalTo("NO_MATCH"))
                .body("claims.familyName", equalTo("NOT_AVAILABLE"))
                .extract().asString();
        assertFalse(retiredBody.contains(survivor), "the survivor's KIdC is not disclosed");

        String unknown = newKidc();
        Response response = verify(bank(), request(unknown, "{\"familyName\":\"SOK\"}"));
        response.then().statusCode(200)
                .body("kidcStatus", equalTo("NOT_FOUND"))
                .body("decision", equalTo("NO_MATCH"))
                .body("claims.familyName", equalTo("NOT_AVAILABLE"))
                .body("dataAsOf", equalTo("2026-11-30T23:00:00Z"));
        assertTrue(lookupRecord(response.path("verificationId")).path("billable").asBoolean(),
                "an answered verification is billed whatever its decision");
    }

    @Test
    void aMalformedKidcIsRefusedAuditedAndNotBilled() {
        Party party = party(Map.of());
        verify(party, request("1234567890", "{\"familyName\":\"SOK\"}")).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-kidc"))
                .body("status", equalTo(400))
                .body("title", notNullValue());
        List<JsonNode> records = lookupRecordsOf(party.contractId());
        assertEquals(1, records.size());
        JsonNode record = records.get(0);
        assertEquals("REFUSED", record.path("outcome").asText());
        assertEquals("invalid-kidc", record.path("decision").asText());
        assertEquals("1234567890", record.path("subjectKidc").asText());
        assertEquals(400, record.path("httpStatus").asInt());
        assertFalse(record.path("billable").asBoolean());
    }

    @Test
    void badRequestsAreProblemsEachAuditedOnce() throws Exception {
        Party party = party(Map.of());
        String kidc = activePerson();
        verify(party, "{ not json").then().statusCode(400).body("type", equalTo(
                "https://dds.gov.kh/problems/invalid-request"));
        verify(party, request(kidc, "{\"famillyName\":\"SOK\"}")).then().statusCode(400)
                .body("detail", equalTo("claims.famillyName: unknown field"));
        verify(party, request(kidc, "{\"dateOfBirth\":\"17/05/1990\"}")).then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-claim"));
        verify(party, request(kidc, "{}").replace(PURPOSE, "MARKETING")).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/unknown-purpose"));
        given().auth().oauth2(party.token()).contentType(ContentType.JSON).body(request(kidc, "{}"))
                .post("/v1/verifications").then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/operator-missing"));
        List<JsonNode> records = lookupRecordsOf(party.contractId());
        assertEquals(5, records.size(), "one record for each refused call");
        assertTrue(records.stream().noneMatch(r -> r.path("billable").asBoolean()));
        assertTrue(records.stream().allMatch(r -> "REFUSED".equals(r.path("outcome").asText())));
    }

    @Test
    void aContractMayWaiveTheOperatorId() throws Exception {
        Party party = party(Map.of("operatorIdRequired", false));
        String kidc = activePerson();
        Response response = given().auth().oauth2(party.token()).contentType(ContentType.JSON)
                .body(request(kidc, "{\"familyName\":\"SOK\"}")).post("/v1/verifications");
        response.then().statusCode(200).body("decision", equalTo("MATCH"));
        assertTrue(lookupRecord(response.path("verificationId")).path("operatorId").isNull());
    }

    @Test
    void aTokenWithoutTheVerifyScopeIsRefusedAndAudited() throws Exception {
        Party lookupOnly = party(Map.of(), "lookup");
        String kidc = activePerson();
        verify(lookupOnly, request(kidc, "{}")).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/scope-missing"));
        assertEquals(1, lookupRecordsOf(lookupOnly.contractId()).size());
    }

    @Test
    void aProductOutsideTheContractIsRefused() throws Exception {
        Party lookupContract = party(Map.of("products", List.of("LOOKUP")), "verify", "lookup");
        verify(lookupContract, request(activePerson(), "{}")).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/product-not-allowed"));
    }

    @Test
    void aChangeSignalledByTheReplicaReachesTheNextAnswer() throws Exception {
        String kidc = activePerson();
        String claim = request(kidc, "{\"familyName\":\"SOK\"}");
        verify(bank(), claim).then().statusCode(200).body("decision", equalTo("MATCH"));
        // the replica applies a name change (version 2) and signals it; the cached version 1 must not outlive the signal
        person(kidc, "ACTIVE", sokDara().replace("\"SOK\"", "\"CHAN\""), null, null);
        verify(bank(), claim).then().statusCode(200).body("decision", equalTo("MATCH"));
        signal(kidc, 2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                "NO_MATCH".equals(verify(bank(), claim).path("decision")));
    }

    @Test
    void aFailureIsAnsweredWithoutDetailsAndAuditedAsFailed() throws Exception {
        Party party = party(Map.of());
        String kidc = newKidc();
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE replica.person RENAME TO person_away");
            try {
                Response failed = verify(party, request(kidc, "{\"familyName\":\"SOK\"}"));
                failed.then().statusCode(500).contentType("application/problem+json")
                        .body("type", equalTo("https://dds.gov.kh/problems/internal-error"));
                assertFalse(failed.asString().contains("person"), "no SQL or table name leaks: " + failed.asString());
            } finally {
                statement.execute("ALTER TABLE replica.person_away RENAME TO person");
            }
        }
        JsonNode record = lookupRecordsOf(party.contractId()).get(0);
        assertEquals("FAILED", record.path("outcome").asText());
        assertEquals(500, record.path("httpStatus").asInt());
        assertFalse(record.path("billable").asBoolean());
    }

    private static void signal(String kidc, long version) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServicesResource.services().kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.PERSON_CHANGES, kidc,
                    "{\"kidc\":\"" + kidc + "\",\"version\":" + version
                            + ",\"status\":\"ACTIVE\",\"dataAsOf\":\"2026-11-23T08:00:00Z\"}")).get();
        }
    }

    @Test
    void withoutATokenNothingIsAnsweredNorAudited() {
        given().contentType(ContentType.JSON).body(request(newKidc(), "{}")).post("/v1/verifications")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", notNullValue())
                .body("type", equalTo("https://dds.gov.kh/problems/unauthorized"))
                .body("stackTrace", nullValue());
    }
}
