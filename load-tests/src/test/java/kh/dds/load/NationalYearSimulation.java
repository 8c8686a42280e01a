package kh.dds.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A national year of identity checks in minutes: {@code requests} calls (2,000,000 by default, the registry's yearly
 * floor) from the 50 relying parties of {@link YearPlan}, in an open model at {@code rate} per second after a ramp.
 * Each call is a verification (names in Khmer or Latin script, matching, partly matching or mismatching, with
 * predicates now and then: the simulator's claims file) or an attribute look-up of a person of the population, in the
 * mix of its party's kind, under its own contract's token and purpose.
 *
 * <p>Every answer's status is counted per contract and product on the generator's side ({@code answered.json} in the
 * run's directory): {@link YearChecks} then holds the ledger, the meter, the API's counters and billing's charges
 * against those counts.
 *
 * <p>System properties (defaults in brackets): {@code runDir} [{@code .local/bench/national-year-<time>}],
 * {@code claims} [{@code .local/bench/claims-100000-42.ndjson}], {@code requests} [2000000], {@code rate} [3000],
 * {@code rampSeconds} [20], {@code p99Millis} [25], {@code maxFailedPercent} [0.1], {@code operator} [
 * {@code teller-1}]; the API and the administrator's client as in {@link SystemUnderTest}.
 *
 * <pre>
 * bench/national-year [REQUESTS] [RATE]
 * </pre>
 */
public class NationalYearSimulation extends Simulation {

    private static final Pattern KIDC = Pattern.compile("\"kidc\"\\s*:\\s*\"(\\d{10})\"");
    private static final String CLAIMS_PURPOSE = "\"purpose\":\"KYC_ACCOUNT_OPENING\"";

    private final SystemUnderTest system = new SystemUnderTest();
    private final String run = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    private final Path runDir = Path.of(System.getProperty("runDir",
            system.root.resolve(".local/bench/national-year-" + run).toString()));
    private final Path claimsFile = Path.of(System.getProperty("claims",
            system.root.resolve(".local/bench/claims-100000-42.ndjson").toString()));
    private final long requests = Long.getLong("requests", 2_000_000L);
    private final double rate = Double.parseDouble(System.getProperty("rate", "3000"));
    private final int rampSeconds = Integer.getInteger("rampSeconds", 20);
    private final int p99Millis = Integer.getInteger("p99Millis", 25);
    private final double maxFailedPercent = Double.parseDouble(System.getProperty("maxFailedPercent", "0.1"));
    private final String operator = System.getProperty("operator", "teller-1");

    private final List<String> bodies = readBodies(claimsFile);
    private final YearPlan plan = YearPlan.create(system, system.adminToken(), run);
    private final String[] bearers = new String[plan.parties().size()];
    private final String[][] partyBodies = bodiesByParty(plan, bodies);
    private final ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "token-renewal");
        thread.setDaemon(true);
        return thread;
    });
    /** Answers by contract, product and status. */
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

    private final HttpProtocolBuilder protocol = http.baseUrl(system.apiUrl)
            .shareConnections()
            .acceptHeader("application/json")
            .header("X-Operator-Id", operator);

    private final ScenarioBuilder year = scenario("national year")
            .feed(draws())
            .exec(doIf(session -> "VERIFY".equals(session.getString("product"))).then(exec(
                    http("verification").post("/v1/verifications")
                            .header("Authorization", session -> bearers[session.getInt("party")])
                            .header("Content-Type", "application/json")
                            .body(StringBody(session -> partyBodies[session.getInt("party")][session.getInt("body")]))
                            .check(status().saveAs("status"), status().is(200)))))
            .exec(doIf(session -> "LOOKUP".equals(session.getString("product"))).then(exec(
                    http("attribute look-up").get(session -> "/v1/persons/" + session.getString("kidc")
                                    + "?purpose=" + plan.parties().get(session.getInt("party")).purpose())
                            .header("Authorization", session -> bearers[session.getInt("party")])
                            // a merged person's record is gone (410), an unknown one not found (404): answers all the same
                            .check(status().saveAs("status"), status().in(200, 404, 410)))))
            .exec(this::count);

    {
        // at least `requests` calls: the ramp's users counted low, the constant part rounded up by a second
        long rampUsers = (long) Math.floor(rate * rampSeconds / 2);
        double constantSeconds = Math.max(1, Math.ceil((requests - rampUsers) / rate) + 1);
        setUp(year.injectOpen(
                rampUsersPerSec(Math.min(1, rate)).to(rate).during(rampSeconds),
                constantUsersPerSec(rate).during(java.time.Duration.ofMillis(Math.round(constantSeconds * 1000)))))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lt(maxFailedPercent),
                        global().responseTime().percentile(99.0).lt(p99Millis));
    }

    @Override
    public void before() {
        plan.write(runDir.resolve("plan.json"));
        renewTokens();
        renewal.scheduleAtFixedRate(() -> {
            try {
                renewTokens();
            } catch (RuntimeException e) {
                System.err.println("token renewal failed (the current tokens stay): " + e.getMessage());
            }
        }, 4, 4, TimeUnit.MINUTES);
        System.out.printf("NationalYearSimulation: %s, %,d requests at %.0f/s after a %d s ramp, %d parties, %d "
                + "bodies from %s, run directory %s%n", system.apiUrl, requests, rate, rampSeconds,
                plan.parties().size(), bodies.size(), claimsFile, runDir);
    }

    @Override
    public void after() {
        renewal.shutdownNow();
        Map<String, Map<String, Map<String, Long>>> byContract = new TreeMap<>();
        answers.forEach((key, count) -> {
            String[] parts = key.split("\\|");
            byContract.computeIfAbsent(parts[0], k -> new TreeMap<>()).computeIfAbsent(parts[1], k -> new TreeMap<>())
                    .put(parts[2], count.sum());
        });
        ObjectNode answered = SystemUnderTest.JSON.createObjectNode();
        answered.put("run", run);
        answered.put("finishedAt", Instant.now().toString());
        answered.set("answers", SystemUnderTest.JSON.valueToTree(byContract));
        try {
            Files.createDirectories(runDir);
            SystemUnderTest.JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("answered.json").toFile(),
                    answered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void renewTokens() {
        for (int i = 0; i < bearers.length; i++) {
            YearPlan.Party party = plan.parties().get(i);
            try {
                bearers[i] = "Bearer " + system.token(party.clientId(), party.clientSecret());
            } catch (RuntimeException e) {
                if (bearers[i] == null) {
                    throw e;
                }
                // one party's failure must not keep the parties after it from their new tokens
                System.err.println("token renewal failed for " + party.clientId() + " (its token stays): "
                        + e.getMessage());
            }
        }
    }

    /** Counts the answer (a call that got no answer at all counts under status 0). */
    private Session count(Session session) {
        String contract = plan.parties().get(session.getInt("party")).contractId();
        String status = session.contains("status") ? Integer.toString(session.getInt("status")) : "0";
        answers.computeIfAbsent(contract + "|" + session.getString("product") + "|" + status, key -> new LongAdder())
                .increment();
        return session.remove("status");
    }

    /** Who calls and how: a party by its share, a product by its kind's mix, a body of the claims file. */
    private Iterator<Map<String, Object>> draws() {
        double[] cumulative = new double[plan.parties().size()];
        double sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum += plan.parties().get(i).share();
            cumulative[i] = sum;
        }
        SplittableRandom seed = new SplittableRandom(42);
        ThreadLocal<SplittableRandom> randoms = ThreadLocal.withInitial(() -> {
            synchronized (seed) {
                return seed.split();
            }
        });
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                SplittableRandom random = randoms.get();
                double u = random.nextDouble() * cumulative[cumulative.length - 1];
                int party = 0;
                while (party < cumulative.length - 1 && cumulative[party] < u) {
                    party++;
                }
                int body = random.nextInt(bodies.size());
                boolean lookup = random.nextDouble() < plan.parties().get(party).lookupShare();
                Matcher kidc = KIDC.matcher(bodies.get(body));
                return Map.of("party", party, "body", body, "product", lookup ? "LOOKUP" : "VERIFY",
                        "kidc", kidc.find() ? kidc.group(1) : "0000000000");
            }
        };
    }

    /** Each party's bodies: the claims file's, under the party's own purpose. */
    private static String[][] bodiesByParty(YearPlan plan, List<String> bodies) {
        Map<String, String[]> byPurpose = new TreeMap<>();
        String[][] result = new String[plan.parties().size()][];
        for (int i = 0; i < result.length; i++) {
            String purpose = plan.parties().get(i).purpose();
            result[i] = byPurpose.computeIfAbsent(purpose, p -> bodies.stream()
                    .map(body -> body.replace(CLAIMS_PURPOSE, "\"purpose\":\"" + p + "\"")).toArray(String[]::new));
        }
        return result;
    }

    private static List<String> readBodies(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
            if (lines.isEmpty() || !lines.get(0).contains(CLAIMS_PURPOSE)) {
                throw new IllegalStateException(file + " holds no request body naming " + CLAIMS_PURPOSE);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the claims file " + file + " (bench/api-verify and "
                    + "bench/national-year write it)", e);
        }
    }
}
