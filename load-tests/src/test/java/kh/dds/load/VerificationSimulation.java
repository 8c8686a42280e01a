package kh.dds.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-model load of {@code POST /v1/verifications}: realistic request bodies (the simulator's {@code claims}
 * file about the population {@code bin/dds-up} loaded), one bank's client, one operator, each answer checked for
 * {@code 200} and a {@code decision}. Users arrive at a ramp up to {@code rate} per second, then at {@code rate} per
 * second for {@code seconds}; each sends one verification over connections shared by all users (as a bank's backend
 * would hold them), whatever the earlier answers do.
 *
 * <p>System properties (defaults in brackets):
 * <ul>
 *   <li>{@code apiUrl}, {@code clientId}, {@code clientSecret} [{@code DDS_API_URL}, {@code DDS_DEMO_CLIENT_ID},
 *       {@code DDS_DEMO_CLIENT_SECRET} from {@code .local/credentials.env}, looked for from the working directory
 *       up, or given by {@code credentials}];</li>
 *   <li>{@code claims} [{@code .local/bench/claims-100000-42.ndjson}, what {@code bench/api-verify} writes];</li>
 *   <li>{@code rate} [1000] verifications/s, {@code seconds} [60] at that rate, {@code rampSeconds} [10];</li>
 *   <li>{@code operator} [{@code teller-1}]; {@code p99Millis} [25] the assertion on the 99th percentile;
 *       {@code maxFailedPercent} [0.1].</li>
 * </ul>
 * The token is obtained in {@code before()} (client credentials, {@code java.net.http}) and renewed every four
 * minutes in the background (tokens live five), so a run may last as long as it likes.
 *
 * <pre>
 * mvn -B -ntp -Pload-tests -pl load-tests gatling:test -Dgatling.simulationClass=kh.dds.load.VerificationSimulation \
 *     -Drate=1000 -Dseconds=60
 * </pre>
 */
public class VerificationSimulation extends Simulation {

    private final SystemUnderTest system = new SystemUnderTest();
    private final String apiUrl = system.apiUrl;
    private final String clientId = system.setting("clientId", "DDS_DEMO_CLIENT_ID", null);
    private final String clientSecret = system.setting("clientSecret", "DDS_DEMO_CLIENT_SECRET", null);
    private final Path claimsFile = Path.of(System.getProperty("claims",
            system.root.resolve(".local/bench/claims-100000-42.ndjson").toString()));
    private final double rate = Double.parseDouble(System.getProperty("rate", "1000"));
    private final int seconds = Integer.getInteger("seconds", 60);
    private final int rampSeconds = Integer.getInteger("rampSeconds", 10);
    private final String operator = System.getProperty("operator", "teller-1");
    private final int p99Millis = Integer.getInteger("p99Millis", 25);
    private final double maxFailedPercent = Double.parseDouble(System.getProperty("maxFailedPercent", "0.1"));

    private final List<String> bodies = readBodies(claimsFile);
    private final ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "token-renewal");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String bearer;

    private final HttpProtocolBuilder protocol = http.baseUrl(apiUrl)
            .shareConnections()
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .header("X-Operator-Id", operator);

    private final ScenarioBuilder verify = scenario("verification")
            .feed(cycling(bodies))
            .exec(http("POST /v1/verifications").post("/v1/verifications")
                    .header("Authorization", session -> bearer)
                    .body(StringBody("#{body}"))
                    .check(status().is(200), jsonPath("$.decision").exists()));

    {
        if (clientId == null || clientSecret == null) {
            throw new IllegalStateException("no client: give -DclientId and -DclientSecret, or run bin/dds-up "
                    + "(which writes .local/credentials.env)");
        }
        setUp(verify.injectOpen(
                rampUsersPerSec(Math.min(1, rate)).to(rate).during(rampSeconds),
                constantUsersPerSec(rate).during(seconds)))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lt(maxFailedPercent),
                        global().responseTime().percentile(99.0).lt(p99Millis));
    }

    @Override
    public void before() {
        bearer = "Bearer " + token();
        renewal.scheduleAtFixedRate(() -> {
            try {
                bearer = "Bearer " + token();
            } catch (RuntimeException e) {
                System.err.println("token renewal failed (the current token stays): " + e.getMessage());
            }
        }, 4, 4, TimeUnit.MINUTES);
        System.out.printf("VerificationSimulation: %s, %.0f/s for %d s after a %d s ramp, %d bodies from %s%n",
                apiUrl, rate, seconds, rampSeconds, bodies.size(), claimsFile);
    }

    @Override
    public void after() {
        renewal.shutdownNow();
    }

    private String token() {
        return system.token(clientId, clientSecret);
    }

    /** The bodies in file order, over and over; thread-safe (Gatling feeds from several threads). */
    private static Iterator<Map<String, Object>> cycling(List<String> bodies) {
        AtomicInteger next = new AtomicInteger();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return Map.of("body", bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())));
            }
        };
    }

    private static List<String> readBodies(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new IllegalStateException(file + " holds no request body");
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the claims file " + file + " (bench/api-verify writes it; "
                    + "or: RegistrySimulator claims --persons 100000 --seed 42 --out FILE, then -Dclaims=FILE)", e);
        }
    }
}
