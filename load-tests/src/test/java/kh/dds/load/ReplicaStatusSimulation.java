package kh.dds.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * An open-model load on the replica's status endpoint (one read of its durable counters and held events per call):
 * the smallest end-to-end check that the replica answers operators while it ingests. Parameters as system
 * properties: {@code replicaUrl} (http://127.0.0.1:8081), {@code rate} (requests/s, 50), {@code seconds} (30).
 */
public class ReplicaStatusSimulation extends Simulation {

    private final String replicaUrl = System.getProperty("replicaUrl", "http://127.0.0.1:8081");
    private final double rate = Double.parseDouble(System.getProperty("rate", "50"));
    private final int seconds = Integer.getInteger("seconds", 30);

    private final HttpProtocolBuilder protocol = http.baseUrl(replicaUrl).acceptHeader("application/json");

    private final ScenarioBuilder status = scenario("replica status")
            .exec(http("GET /v1/replica/status").get("/v1/replica/status").check(status().is(200)));

    {
        setUp(status.injectOpen(constantUsersPerSec(rate).during(seconds)))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lt(0.1),
                        global().responseTime().percentile(99.0).lt(250));
    }
}
