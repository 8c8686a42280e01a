package kh.dds.billing.chaos;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kh.dds.localstack.ApiNodeKeys;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.localstack.QuarkusProcess;
import kh.dds.localstack.ServiceRole;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.event.Topics;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import kh.dds.schema.time.PhnomPenh;
import org.junit.jupiter.api.Test;

/**
 * The whole path, as in production: the packaged API answers verifications and lookups for three contracts on two
 * tariffs (and refuses some: a tenth of the calls are hostile input — a NUL purpose, a KIdC sent as a JSON number, a
 * 5,000-character name, a 3,000-digit KIdC), its ledger writer keeps the audit trail, and the packaged billing service meters the
 * lookup records while it is SIGKILLed twice and restarted during the load. Afterwards reconciliation shows the
 * audited, metered and API counts equal for every contract, every record is metered exactly once, and the month's
 * invoices total exactly what the tariffs give for the audited billable counts.
 */
class BillingChaosIT {

    private static final String DATABASE = "dds_billing_chaos_it";
    private static final int REDIS_DB = 5;
    private static final String TOPIC = "it.billing-chaos.lookup-records";
    private static final String ADMIN_SECRET = "billing-chaos-admin-secret";
    private static final int CALLS = 3_000;
    private static final String PURPOSE = "KYC_ACCOUNT_OPENING";

    /** VERIFY: 400 riel for the first 500 of the month, then 250; LOOKUP: 1,000 flat. */
    private static final Map<String, List<long[]>> TARIFF_A = Map.of(
            "VERIFY", List.of(new long[] {500, 400}, new long[] {-1, 250}),
            "LOOKUP", List.of(new long[] {-1, 1_000}));
    /** VERIFY: 300 for the first 200, 200 up to 600, then 100; LOOKUP: 0 (still metered). */
    private static final Map<String, List<long[]>> TARIFF_B = Map.of(
            "VERIFY", List.of(new long[] {200, 300}, new long[] {600, 200}, new long[] {-1, 100}),
            "LOOKUP", List.of(new long[] {-1, 0}));

    private final LocalServices services = LocalServices.get();
    private QuarkusProcess billing;

    @Test
    void invoicesTotalWhatTheTariffsGiveForTheAuditedCountsAfterTheMeterWasKilledTwice() throws Exception {
        List<String> persons = prepareDatabase();
        KafkaTopics.ensure(services.kafkaBootstrapServers(), List.of(
                TopicSpec.parse(Topics.PERSON_CHANGES + ":4:cleanup.policy=compact"), TopicSpec.parse(TOPIC + ":4")));
        try (QuarkusProcess api = QuarkusProcess.start("distribution-api", Path.of(System.getProperty("api.jar")),
                apiSettings())) {
            api.awaitReady(Duration.ofSeconds(120));
            String admin = token(api, "dds-admin", ADMIN_SECRET);
            String tariffA = tariff(api, admin, TARIFF_A);
            String tariffB = tariff(api, admin, TARIFF_B);
            Map<String, Map<String, List<long[]>>> tariffOf = new HashMap<>();
            List<String[]> parties = new ArrayList<>();   // contract id, token
            for (int c = 0; c < 3; c++) {
                String tariff = c == 1 ? tariffB : tariffA;
                String contract = given().baseUri(api.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                        .body(Map.of("organisation", "Chaos Bank " + c, "kind", "BANK", "validFrom", "2026-01-01",
                                "products", List.of("VERIFY", "LOOKUP"), "purposes", List.of(PURPOSE),
                                "dataPolicy", Map.of("fields", List.of("familyName", "givenName")),
                                "rateLimitPerSecond", 10_000, "tariffId", tariff, "operatorIdRequired", false))
                        .post("/v1/admin/contracts").then().statusCode(201).extract().path("id");
                JsonPath credentials = given().baseUri(api.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                        .body(Map.of("scopes", List.of("verify", "lookup", "usage")))
                        .post("/v1/admin/contracts/" + contract + "/clients").then().statusCode(201).extract()
                        .jsonPath();
                parties.add(new String[] {contract, token(api, credentials.getString("clientId"),
                        credentials.getString("clientSecret"))});
                tariffOf.put(contract, c == 1 ? TARIFF_B : TARIFF_A);
            }

            billing = startBilling();
            Map<String, AtomicLong> answered = load(api, parties, persons);

            String today = PhnomPenh.today().toString();
            awaitReconciled(admin, parties, today);
            // what the restarted meter saw again after the kills (redelivered batches), for the log
            System.out.println("billing meter after the kills: " + given().baseUri(billing.url())
                    .get("/q/metrics").then().extract().asString().lines()
                    .filter(line -> line.startsWith("billing_metered_records_total")).toList());
            JsonPath report = awaitReconciled(admin, parties, today);
            for (String[] party : parties) {
                String contract = party[0];
                Map<String, Object> row = report.getMap("contracts.find { it.contractId == '" + contract + "' }");
                assertEquals(true, row.get("equal"), row.toString());
                assertEquals(answered.get(contract).get(), ((Number) row.get("audited")).longValue(),
                        "the ledger holds every answered call of " + contract);
            }
            assertEquals(count("SELECT count(*) FROM audit.lookup_record"),
                    count("SELECT count(*) FROM billing.metered_call"), "every lookup record metered");
            assertEquals(0, count("""
                    SELECT count(*) FROM (SELECT lookup_id FROM billing.metered_call GROUP BY lookup_id
                    HAVING count(*) > 1) twice"""), "and none twice");
            assertEquals(0, count("SELECT count(*) FROM audit.lookup_record WHERE outcome = 'QUARANTINED'"),
                    "the hostile calls' records were written safe by the API: none had to be set aside");
            assertEquals(count("SELECT count(*) FROM audit.lookup_record WHERE NOT billable"),
                    count("SELECT coalesce(sum(non_billable), 0) FROM billing.usage_daily"),
                    "refused calls counted apart");

            // the month closed (early: this run's grace is negative) and priced against the ledger's counts
            YearMonth month = PhnomPenh.month(Instant.now());
            given().baseUri(billing.url()).auth().oauth2(admin).post("/v1/admin/invoices/close?month=" + month)
                    .then().statusCode(200);
            for (String[] party : parties) {
                String contract = party[0];
                long expected = 0;
                for (String product : List.of("VERIFY", "LOOKUP")) {
                    long audited = count("""
                            SELECT count(*) FROM audit.lookup_record WHERE contract_id = ?::uuid AND product = ?
                            AND billable AND occurred_at >= ? AND occurred_at < ?""", contract, product,
                            java.sql.Timestamp.from(PhnomPenh.startOf(month)),
                            java.sql.Timestamp.from(PhnomPenh.startOf(month.plusMonths(1))));
                    expected += price(audited, tariffOf.get(contract).get(product));
                }
                JsonPath invoices = given().baseUri(billing.url()).auth().oauth2(party[1])
                        .get("/v1/contracts/" + contract + "/invoices?month=" + month).then().statusCode(200)
                        .extract().jsonPath();
                assertEquals(List.of("INVOICE"), invoices.getList("kind"), contract);
                assertEquals(expected, invoices.getLong("[0].total"), "the invoice of " + contract);
                assertTrue(expected > 0);
            }
        } finally {
            if (billing != null) {
                billing.close();
            }
        }
    }

    /** The plain reference: each tier takes what of the month's count falls in its range. */
    private static long price(long units, List<long[]> tiers) {
        long total = 0;
        long from = 0;
        for (long[] tier : tiers) {
            long upTo = tier[0] < 0 ? Long.MAX_VALUE : tier[0];
            total += Math.max(0, Math.min(units, upTo) - from) * tier[1];
            from = upTo;
        }
        return total;
    }

    private Map<String, AtomicLong> load(QuarkusProcess api, List<String[]> parties, List<String> persons)
            throws Exception {
        Map<String, AtomicLong> answered = new ConcurrentHashMap<>();
        parties.forEach(party -> answered.put(party[0], new AtomicLong()));
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            calls.add(pool.submit(() -> {
                String[] party = parties.get(n % parties.size());
                String kidc = persons.get(n % persons.size());
                int status;
                if (n % 10 == 5) {
                    // hostile input among the calls: refused, audited in a safe form, never billed
                    status = hostile(api, party[1], kidc, n / 10);
                    if (status != 400) {
                        throw new AssertionError("hostile call " + (n / 10) % 4 + " answered " + status);
                    }
                } else if (n % 10 == 7) {
                    status = given().baseUri(api.url()).auth().oauth2(party[1])
                            .get("/v1/persons/" + kidc + "?purpose=" + PURPOSE).then().extract().statusCode();
                } else {
                    String purpose = n % 10 == 3 ? "NOT_A_PURPOSE" : PURPOSE;   // refused: audited, not billed
                    status = given().baseUri(api.url()).auth().oauth2(party[1]).contentType(ContentType.JSON)
                            .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"" + purpose
                                    + "\",\"claims\":{\"familyName\":\"KEO\"}}")
                            .post("/v1/verifications").then().extract().statusCode();
                }
                if (status == 200) {
                    answered.get(party[0]).incrementAndGet();
                }
                done.incrementAndGet();
                return status;
            }));
        }
        // the meter killed as in a crash, twice, while the calls go on
        for (int kill = 1; kill <= 2; kill++) {
            int at = CALLS * kill / 3;
            while (done.get() < at) {
                Thread.sleep(10);
            }
            billing.kill();
            billing = startBilling();
        }
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();
        return answered;
    }

    /** One of four hostile calls the issue names: a NUL purpose, a KIdC as a JSON number, a huge name, a huge KIdC. */
    private static int hostile(QuarkusProcess api, String token, String kidc, int variant) {
        var request = given().baseUri(api.url()).urlEncodingEnabled(false).auth().oauth2(token);
        return switch (variant % 4) {
            case 0 -> request.get("/v1/persons/" + kidc + "?purpose=%00").then().extract().statusCode();
            case 1 -> request.contentType(ContentType.JSON).body("{\"kidc\":" + kidc + ",\"purpose\":\"" + PURPOSE
                    + "\"}").post("/v1/verifications").then().extract().statusCode();
            case 2 -> request.contentType(ContentType.JSON).body("{\"kidc\":\"" + kidc + "\",\"purpose\":\""
                    + PURPOSE + "\",\"claims\":{\"familyName\":\"" + "S".repeat(5_000) + "\"}}")
                    .post("/v1/verifications").then().extract().statusCode();
            default -> request.get("/v1/persons/" + "9".repeat(3_000) + "?purpose=" + PURPOSE).then().extract()
                    .statusCode();
        };
    }

    private JsonPath awaitReconciled(String admin, List<String[]> parties, String day) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        JsonPath report;
        while (true) {
            report = given().baseUri(billing.url()).auth().oauth2(admin).get("/v1/admin/reconciliation?date=" + day)
                    .then().statusCode(200).extract().jsonPath();
            JsonPath current = report;
            boolean equal = parties.stream().allMatch(party -> Boolean.TRUE.equals(
                    current.get("contracts.find { it.contractId == '" + party[0] + "' }.equal")));
            if (equal || System.nanoTime() > deadline) {
                return report;
            }
            Thread.sleep(500);
        }
    }

    private QuarkusProcess startBilling() throws Exception {
        PostgresEndpoint postgres = services.postgres();
        // each service logs in as its own role, as in production (the tests' servers trust local connections)
        Map<String, String> settings = new HashMap<>(postgres.as(ServiceRole.BILLING, "")
                .quarkusEnvironment(DATABASE));
        settings.put("QUARKUS_REDIS_COUNTERS_HOSTS", services.countersRedisUrl(REDIS_DB));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        settings.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys().resolve("jwks.json").toString());
        settings.put("BILLING_LOOKUP_RECORDS_TOPIC", TOPIC);
        // small batches, so that a kill lands between a batch's commit and its offsets'
        settings.put("MP_MESSAGING_INCOMING_LOOKUP_RECORDS_MAX_POLL_RECORDS", "50");
        // this run closes its own, still open, month
        settings.put("BILLING_CLOSE_GRACE", "-P40D");
        QuarkusProcess started = QuarkusProcess.start("billing", Path.of(System.getProperty("billing.jar")),
                settings);
        started.awaitReady(Duration.ofSeconds(120));
        return started;
    }

    private Map<String, String> apiSettings() {
        Map<String, String> settings = new HashMap<>(services.postgres().as(ServiceRole.API, "")
                .quarkusEnvironment(DATABASE));
        Path keys = keys();
        settings.put("QUARKUS_REDIS_HOSTS", services.redisUrl(REDIS_DB));
        settings.put("QUARKUS_REDIS_COUNTERS_HOSTS", services.countersRedisUrl(REDIS_DB));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        settings.put("API_AUDIT_TOPIC", TOPIC);
        settings.putAll(new ApiNodeKeys(keys).environment(ADMIN_SECRET));
        return settings;
    }


    private static Path keys() {
        return Path.of(System.getProperty("api.test-keys"));
    }

    /** A fresh database: the replica's read model with a few persons; the API and billing migrate their own. */
    private List<String> prepareDatabase() throws Exception {
        services.postgres().ensureDatabase(DATABASE);
        List<String> persons = new ArrayList<>();
        Random random = new Random(7);
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement();
             InputStream in = BillingChaosIT.class.getResourceAsStream("/db/replica/V1__replica.sql")) {
            for (String schema : List.of("replica", "api", "audit", "billing")) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            statement.execute("DROP TABLE IF EXISTS public.api_schema_history, public.billing_schema_history");
            // the schemas again, each owned by its service's role; the read model made as the replica's role
            services.postgres().ensureRoles(DATABASE);
            statement.execute("SET ROLE " + ServiceRole.REPLICA.roleName());
            statement.execute("SET search_path TO replica");
            statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            for (int i = 0; i < 20; i++) {
                String kidc = Kidc.random(random, KidcKind.CITIZEN).value();
                persons.add(kidc);
                statement.execute("""
                        INSERT INTO replica.person (kidc, version, status, sex, record, last_event_at) VALUES ('%s',
                        1, 'ACTIVE', 'F', '{"familyNameLatin":"KEO","givenNameLatin":"SOPHEA","familyNameKh":"កែវ",
                        "givenNameKh":"សុភា","sex":"F","dateOfBirth":"1985-02-03","address":{"province":"01"}}',
                        now())""".formatted(kidc));
            }
        }
        return persons;
    }

    private static String token(QuarkusProcess api, String clientId, String secret) {
        return given().baseUri(api.url()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static String tariff(QuarkusProcess api, String admin, Map<String, List<long[]>> products) {
        Map<String, Object> body = new HashMap<>();
        Map<String, Object> tiers = new HashMap<>();
        products.forEach((product, steps) -> tiers.put(product, steps.stream().map(step -> {
            Map<String, Object> tier = new HashMap<>();
            tier.put("upTo", step[0] < 0 ? null : step[0]);
            tier.put("unitPrice", step[1]);
            return tier;
        }).toList()));
        body.put("name", "chaos " + products.hashCode());
        body.put("currency", "KHR");
        body.put("products", tiers);
        return given().baseUri(api.url()).auth().oauth2(admin).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/tariffs").then().statusCode(201).extract().path("id");
    }

    private long count(String sql, Object... arguments) throws Exception {
        try (Connection connection = services.postgres().connect(DATABASE);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
