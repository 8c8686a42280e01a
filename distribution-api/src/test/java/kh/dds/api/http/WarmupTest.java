package kh.dds.api.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.localstack.LocalServicesResource;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/** A node reports ready once warmed; the warm-up itself touches no store but to open connections. */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class WarmupTest {

    @Inject
    @Readiness
    Warmup warmup;

    @Test
    void theNodeIsReadyOnceWarmedAndSaysHowLongItTook() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(warmup::done);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("warm-up"));
        List<Map<String, Object>> checks = given().get("/q/health/ready").then().extract().path("checks");
        Map<String, Object> check = checks.stream().filter(c -> "warm-up".equals(c.get("name"))).findFirst()
                .orElseThrow();
        assertTrue(check.get("status").equals("UP"), check.toString());
        assertTrue(String.valueOf(check.get("data")).contains("warmed in"), check.toString());
    }

    @Test
    void theExerciseRunsTheMatcherAndTheJsonOverEveryKindOfClaim() {
        assertTrue(warmup.exercise() > 0);
    }
}
