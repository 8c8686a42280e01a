package kh.dds.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.Test;

/** What integrators read at {@code /q/openapi}: every endpoint, its problems, and the bearer scheme. */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class OpenApiTest {

    @Test
    void theDocumentDescribesTheApi() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/v1/verifications"))
                .body("paths", hasKey("/v1/persons/{kidc}"))
                .body("paths", hasKey("/v1/statistics/population"))
                .body("paths", hasKey("/oauth/token"))
                .body("paths", hasKey("/oauth/jwks"))
                .body("paths", hasKey("/v1/admin/contracts/{id}"))
                .body("paths.'/v1/verifications'.post.requestBody.content.'application/json'.schema", notNullValue())
                .body("paths.'/v1/verifications'.post.responses.'503'.description",
                        startsWith("audit-unavailable: the audit record could not be made durable"))
                .body("paths.'/v1/verifications'.post.responses.'413'.description", startsWith("payload-too-large"))
                .body("paths.'/v1/admin/contracts/{id}'.patch.responses.'409'.description",
                        startsWith("tariff-change-in-closed-month"))
                .body("components.schemas.ContractPatch.properties", hasKey("tariffEffectiveFrom"))
                .body("components.schemas.ContractView.properties", hasKey("tariffs"))
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.schemas", hasKey("VerificationResponse"))
                .body("components.schemas", hasKey("ProblemBody"));
    }
}
