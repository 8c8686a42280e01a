package kh.dds.api.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/**
 * A serving node (the k8s {@code distribution-api} pods: {@code API_LEDGER_ENABLED=false}, no signing key) refuses
 * the ledger's writing requests — a checkpoint now, the retention run — with a {@code 409} problem naming the
 * deployment that does them, after the caller's scope is checked; the auditors' reads still answer.
 */
@QuarkusTest
@TestProfile(LedgerOffNodeTest.ServingNode.class)
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class LedgerOffNodeTest {

    public static class ServingNode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // as the k8s serving pods: no ledger writing, no signing key (the public key alone)
            return Map.of("api.ledger.enabled", "false", "api.ledger.signing-key", "");
        }
    }

    @Test
    void theLedgersWritingRequestsAreA409NamingTheWriterAndReadsStillAnswer() {
        String admin = ApiTestSupport.adminToken();
        for (String path : new String[] {"/v1/audit/checkpoints", "/v1/admin/ledger/retention"}) {
            given().auth().oauth2(admin).post(path).then().statusCode(409)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://dds.gov.kh/problems/ledger-not-on-this-node"))
                    .body("detail", containsString("audit-ledger"));
        }
        given().auth().oauth2(admin).get("/v1/audit/checkpoints").then().statusCode(200);
        // the scope comes first: a client without audit or admin is refused as anywhere
        String token = ApiTestSupport.party(Map.of()).token();
        given().auth().oauth2(token).post("/v1/audit/checkpoints").then().statusCode(403);
        given().auth().oauth2(token).post("/v1/admin/ledger/retention").then().statusCode(403);
    }
}
