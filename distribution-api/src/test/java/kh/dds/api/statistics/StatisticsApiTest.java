package kh.dds.api.statistics;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.lookupRecord;
import static kh.dds.api.ApiTestSupport.party;
import static kh.dds.api.ApiTestSupport.postgres;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.disclosure.Cell;
import kh.dds.disclosure.DisclosureControl;
import kh.dds.disclosure.PerturbationTable;
import kh.dds.disclosure.PublishedCount;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.schema.statistics.PopulationHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/statistics/population} on a population history written as the replica writes it: scopes and the
 * contract's product, validation, JSON and CSV, suppression visible, the same answer twice, one lookup record per call
 * with its parameters as detail and no subject, a day read from the daily aggregates answering as from the history,
 * and the differencing attack through the endpoint.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class StatisticsApiTest {

    private static final LocalDate BEGAN = LocalDate.of(2026, 11, 1);
    private static final String PATH = "/v1/statistics/population";
    /** Provinces of the differencing trials: one death a trial, each alone in its province between two days. */
    private static final int FIRST_TRIAL_PROVINCE = 13;
    private static final int TRIAL_DAYS = 8;
    private static final List<int[]> TRIALS = new ArrayList<>();
    private static boolean populated;
    private static final java.util.Set<String> KIDCS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void population() throws Exception {
        synchronized (StatisticsApiTest.class) {
            if (populated) {
                return;
            }
            ApiTestSupport.readModel();
            Random random = new Random(20261206L);
            try (Connection connection = postgres().connect(ApiTestSupport.DATABASE)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET ROLE dds_replica");
                    statement.execute("TRUNCATE replica.person_history, replica.population_day,"
                            + " replica.population_day_built, replica.population_day_stale");
                    statement.execute("UPDATE replica.replica_state SET history_began_on = DATE '" + BEGAN + "'");
                }
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO replica.person_history (kidc, valid_from, valid_to, province, district, sex,
                            birth_ymd, marital_status, citizenship, record_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    // Phnom Penh: 1,200 persons; 40 of them died on 2026-11-15, 30 registered on 2026-11-10
                    for (int i = 0; i < 1200; i++) {
                        LocalDate from = i < 30 ? LocalDate.of(2026, 11, 10) : BEGAN;
                        LocalDate to = i >= 30 && i < 70 ? LocalDate.of(2026, 11, 15) : null;
                        add(insert, random, from, to, "12", "120" + (1 + random.nextInt(5)),
                                random.nextBoolean() ? "F" : "M", i % 50 == 0 ? "THA" : "KHM");
                    }
                    // Kep: three persons, a count the contract's minimum cell size withholds
                    for (int i = 0; i < 3; i++) {
                        add(insert, random, BEGAN, null, "23", "2301", "F", "KHM");
                    }
                    // the differencing trials: in each province, persons of each sex (0 to 60), and one death a
                    // day pair, the only change in the province between the two days
                    for (int p = FIRST_TRIAL_PROVINCE; p <= 25; p++) {
                        if (p == 23) {
                            continue;
                        }
                        String province = String.format("%02d", p);
                        int women = random.nextInt(61);
                        int men = random.nextInt(61);
                        for (int i = 0; i < women + men; i++) {
                            add(insert, random, BEGAN, null, province, province + "01", i < women ? "F" : "M", "KHM");
                        }
                        for (int d = 0; d < TRIAL_DAYS; d++) {
                            boolean female = random.nextBoolean();
                            LocalDate death = BEGAN.plusDays(2 + 2 * d);
                            add(insert, random, BEGAN, death, province, province + "01", female ? "F" : "M", "KHM");
                            // province, day before the death, the victim's sex, women and men alive after it
                            TRIALS.add(new int[] {p, 1 + 2 * d, female ? 0 : 1, women, men});
                        }
                    }
                    insert.executeBatch();
                }
            }
            for (int[] trial : TRIALS) {
                // every later victim is still alive on the trial's days: count them among the others
                int later = (int) TRIALS.stream().filter(t -> t[0] == trial[0] && t[1] > trial[1]).count();
                int[] sexes = TRIALS.stream().filter(t -> t[0] == trial[0] && t[1] > trial[1])
                        .mapToInt(t -> t[2]).toArray();
                int laterWomen = (int) java.util.Arrays.stream(sexes).filter(s -> s == 0).count();
                trial[3] += laterWomen;
                trial[4] += later - laterWomen;
            }
            populated = true;
        }
    }

    private static void add(PreparedStatement insert, Random random, LocalDate from, LocalDate to, String province,
                            String district, String sex, String citizenship) throws Exception {
        // random KIdCs collide (a few thousand among 10^8: a few per cent of runs): each is drawn until new
        String kidc = ApiTestSupport.newKidc();
        while (!KIDCS.add(kidc)) {
            kidc = ApiTestSupport.newKidc();
        }
        insert.setString(1, kidc);
        insert.setObject(2, from);
        insert.setObject(3, to);
        insert.setString(4, province);
        insert.setString(5, district);
        insert.setString(6, sex);
        insert.setInt(7, PopulationHistory.ymd(LocalDate.of(1940, 1, 1).plusDays(random.nextInt(30_000))));
        insert.setString(8, random.nextBoolean() ? "SINGLE" : "MARRIED");
        insert.setString(9, citizenship);
        insert.setShort(10, (short) random.nextInt(256));
        insert.addBatch();
    }

    private static Party ministry() {
        return party(Map.of("kind", "MINISTRY", "products", List.of("STATISTICS")), "reports");
    }

    private static Response query(Party party, String query) {
        return given().auth().oauth2(party.token()).get(PATH + "?" + query);
    }

    @Test
    void onlyAReportsClientOfAContractWithStatisticsIsAnswered() {
        Party bank = party(Map.of());
        query(bank, "province=12").then().statusCode(403).body("type", org.hamcrest.Matchers.endsWith("scope-missing"));
        Party withoutProduct = party(Map.of("products", List.of("VERIFY")), "reports");
        query(withoutProduct, "province=12").then().statusCode(403)
                .body("type", org.hamcrest.Matchers.endsWith("product-not-allowed"));
    }

    @Test
    void malformedQueriesAreRefusedAuditedAndNotBilled() {
        Party ministry = ministry();
        for (String[] bad : new String[][] {
                {"groupBy=province,religion", "unknown-dimension"},
                {"religion=BUDDHIST", "unknown-dimension"},
                {"asOf=2026-10-31", "outside-history"},
                {"asOf=2999-01-01", "outside-history"},
                {"asOf=2026-02-30", "invalid-request"},
                {"asOf=yesterday", "invalid-request"},
                {"province=26", "invalid-request"},
                {"province=12&district=0801", "invalid-request"},
                {"sex=X", "invalid-request"},
                {"ageBand=85-89", "invalid-request"},
                {"province=12&province=08", "invalid-request"},
                {"groupBy=sex,sex", "invalid-request"},
                {"citizenship=%00KH", "invalid-request"},
                {"groupBy=district,sex,ageBand,maritalStatus,citizenship", "table-too-large"}}) {
            Response response = query(ministry, bad[0]);
            assertEquals(400, response.statusCode(), bad[0]);
            response.then().statusCode(400).contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith(bad[1]));
            JsonNode record = lookupRecord(response.header("Lookup-Id"));
            assertEquals("STATISTICS", record.path("product").asText());
            assertFalse(record.path("billable").asBoolean(), bad[0]);
            assertTrue(record.path("subjectKidc").isNull() || record.path("subjectKidc").isMissingNode());
            assertFalse(record.path("detail").asText().isEmpty(), bad[0]);
        }
    }

    @Test
    void hostileQueriesAreRefusedNeverAFailure() {
        Party ministry = ministry();
        // longer than any bound, shorter than the HTTP server's own limit of the request line (4 KiB: 414)
        String huge = "1".repeat(1_000);
        for (String raw : new String[] {"province=%00", "groupBy=%01sex", "asOf=" + huge, "groupBy=" + huge,
                huge + "=1", "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10", "purpose=%00"}) {
            Response response = given().auth().oauth2(ministry.token()).urlEncodingEnabled(false).get(PATH + "?" + raw);
            assertTrue(response.statusCode() == 400, raw.substring(0, Math.min(40, raw.length())) + ": "
                    + response.statusCode());
        }
    }

    @Test
    void aTableByProvinceAndSexWithSuppressionVisibleTheSameTwiceAndAuditedWithItsParameters() throws Exception {
        Party ministry = ministry();
        Response first = query(ministry, "groupBy=province,sex&asOf=2026-11-20&citizenship=KHM");
        first.then().statusCode(200).contentType("application/json")
                .body("asOf", equalTo("2026-11-20"))
                .body("dataAsOf", equalTo("2026-11-30T23:00:00Z"))
                .body("disclosureControl.method", equalTo("cell-key-perturbation"))
                .body("disclosureControl.primarySuppression.minCellSize", equalTo(10))
                .body("disclosureControl.perturbation.keyRange", equalTo(256));
        JsonNode body = ApiTestSupport.JSON.readTree(first.asString());
        assertEquals(50, body.path("cells").size(), "every province by both sexes");
        assertEquals(2, body.path("margins").size());
        JsonNode kepWomen = cell(body.path("cells"), "23", "F");
        assertTrue(kepWomen.path("count").isNull());
        assertEquals("PRIMARY", kepWomen.path("suppression").asText(), "three women in Kep: withheld");
        JsonNode kepMen = cell(body.path("cells"), "23", "M");
        assertEquals(0, kepMen.path("count").asInt(), "nobody stays nobody");
        int complementary = body.path("suppressed").path("complementary").asInt();
        assertTrue(complementary > 0, "the withheld Kep cell is protected by complementary suppression: " + body);
        JsonNode phnomPenh = cell(body.path("margins").get(0).path("cells"), "12", null);
        int count = phnomPenh.path("count").asInt();
        assertTrue(Math.abs(count - 1137) <= 3, "1,200 persons less 40 dead, less the 23 THA citizens alive; perturbed"
                + " by at most 3: " + count);

        Response second = query(ministry, "citizenship=KHM&asOf=2026-11-20&groupBy=province,sex");
        assertEquals(body.path("cells"), ApiTestSupport.JSON.readTree(second.asString()).path("cells"),
                "the same persons, the same published counts");

        JsonNode record = lookupRecord(first.header("Lookup-Id"));
        assertEquals("STATISTICS", record.path("product").asText());
        assertEquals("ANSWERED", record.path("outcome").asText());
        assertTrue(record.path("billable").asBoolean());
        assertTrue(record.path("subjectKidc").isNull() || record.path("subjectKidc").isMissingNode());
        assertEquals("asOf=2026-11-20&citizenship=KHM&groupBy=province,sex", record.path("detail").asText());
        assertEquals(record.path("detail").asText(), lookupRecord(second.header("Lookup-Id")).path("detail").asText());
    }

    @Test
    void csvByAcceptWithMarginsAndTotalRows() {
        Party ministry = ministry();
        String csv = given().auth().oauth2(ministry.token()).accept("text/csv")
                .get(PATH + "?groupBy=sex&province=12&asOf=2026-11-20").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\n");
        assertEquals("sex,count,suppression", lines[0]);
        assertTrue(lines[1].startsWith("F,") && lines[2].startsWith("M,"), csv);
        assertTrue(lines[3].startsWith("TOTAL,") && lines[3].endsWith(",NONE"), csv);
        assertEquals(4, lines.length, csv);
    }

    @Test
    void pastDaysReflectBirthsAndDeathsAndADayFromTheDailyAggregatesAnswersAsFromTheHistory() throws Exception {
        Party ministry = ministry();
        int before = total(query(ministry, "province=12&asOf=2026-11-05"));
        int registered = total(query(ministry, "province=12&asOf=2026-11-12"));
        int after = total(query(ministry, "province=12&asOf=2026-11-16"));
        assertTrue(Math.abs(before - 1170) <= 3 && Math.abs(registered - 1200) <= 3 && Math.abs(after - 1160) <= 3,
                before + " " + registered + " " + after);

        String history = query(ministry, "groupBy=ageBand,sex&province=12&asOf=2026-11-12").asString();
        try (Connection connection = postgres().connect(ApiTestSupport.DATABASE);
             PreparedStatement build = connection.prepareStatement("""
                     INSERT INTO replica.population_day (day, province, district, sex, age_band, marital_status,
                         citizenship, persons, key_sum)
                     SELECT DATE '2026-11-12', province, district, sex, %s, marital_status, citizenship, count(*),
                            sum(record_key)
                     FROM replica.person_history
                     WHERE valid_from <= DATE '2026-11-12' AND (valid_to IS NULL OR valid_to > DATE '2026-11-12')
                     GROUP BY 2, 3, 4, 5, 6, 7""".formatted(PopulationHistory.ageBandSql("20261112")))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET ROLE dds_replica");
            }
            build.executeUpdate();
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO replica.population_day_built VALUES (DATE '2026-11-12', now())");
                // a day read from the aggregates, proven by changing them: the answer follows
                String fromDays = query(ministry, "groupBy=ageBand,sex&province=12&asOf=2026-11-12").asString();
                assertEquals(ApiTestSupport.JSON.readTree(history).path("cells"),
                        ApiTestSupport.JSON.readTree(fromDays).path("cells"));
                statement.execute("UPDATE replica.population_day SET persons = persons + 100"
                        + " WHERE day = DATE '2026-11-12' AND province = '12'");
                int changed = total(query(ministry, "province=12&asOf=2026-11-12"));
                assertTrue(changed > 1200, "read from population_day: " + changed);
                // a stale mark at or before the day sends the query back to the history
                statement.execute("INSERT INTO replica.population_day_stale (day) VALUES (DATE '2026-11-11')");
                assertEquals(registered, total(query(ministry, "province=12&asOf=2026-11-12")));
                statement.execute("DELETE FROM replica.population_day WHERE day = DATE '2026-11-12'");
                statement.execute("TRUNCATE replica.population_day_built, replica.population_day_stale");
            }
        }
    }

    /**
     * Today has no daily aggregate: it is answered from an aggregate of today kept by the API node (TodayAggregate),
     * which must count as the history does and never answer with a dataAsOf newer than its data. Checked by the same
     * persons on a closed day (province 12 has not changed since 2026-11-15: without ages, the same cells), and by a
     * batch-like change (40 persons in province 05 and the replica's state in one transaction): every answer after
     * it is either the old counts with the old dataAsOf or the new counts with the new one, and the new one comes.
     */
    @Test
    void todayAnswersAsTheHistoryAndNeverOlderThanItsDataAsOf() throws Exception {
        Party ministry = ministry();
        LocalDate today = kh.dds.schema.time.PhnomPenh.today();
        for (String grouping : new String[] {"groupBy=district,sex&province=12", "groupBy=maritalStatus&sex=F",
                "groupBy=citizenship,district&province=12&maritalStatus=SINGLE", "province=12&district=1203"}) {
            JsonNode past = ApiTestSupport.JSON.readTree(query(ministry, grouping + "&asOf=2026-11-20").asString());
            JsonNode now = ApiTestSupport.JSON.readTree(query(ministry, grouping + "&asOf=" + today).asString());
            assertEquals(past.path("cells"), now.path("cells"), grouping);
            assertEquals(past.path("margins"), now.path("margins"), grouping);
            assertEquals(past.path("total"), now.path("total"), grouping);
        }
        // the read model's freshness (ApiTestSupport), restored at the end, and one second later
        java.time.Instant before = java.time.Instant.parse("2026-11-30T23:00:00Z");
        java.time.Instant after = before.plusSeconds(1);
        try (Connection connection = postgres().connect(ApiTestSupport.DATABASE);
             Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE dds_replica");
            statement.execute("UPDATE replica.replica_state SET last_event_at = '" + before + "'");
            // an aggregate read before this change may answer for a while with its own dataAsOf; then this one
            assertTrue(awaitDataAsOf(ministry, before, 0), "the aggregate of the changed state answers");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO replica.person_history (kidc, valid_from, valid_to, province, district, sex,
                        birth_ymd, marital_status, citizenship, record_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                Random random = new Random(5);
                for (int i = 0; i < 40; i++) {
                    add(insert, random, today, null, "05", "0501", i % 2 == 0 ? "F" : "M", "KHM");
                }
                insert.executeBatch();
            }
            statement.execute("UPDATE replica.replica_state SET last_event_at = '" + after + "'");
            connection.commit();
        }
        try {
            assertTrue(awaitDataAsOf(ministry, after, 40), "the aggregate of the new data answers within seconds");
            Response again = query(ministry, "province=05");
            assertEquals(after.toString(), again.path("dataAsOf"));
            assertTrue(Math.abs(total(again) - 40) <= 3);
        } finally {
            try (Connection connection = postgres().connect(ApiTestSupport.DATABASE);
                 Statement statement = connection.createStatement()) {
                statement.execute("SET ROLE dds_replica");
                statement.execute("DELETE FROM replica.person_history WHERE province = '05'");
                statement.execute("UPDATE replica.replica_state SET last_event_at = '" + before + "'");
            }
        }
    }

    /**
     * Asks province 05 today until the answer's dataAsOf is {@code expected}: every answer before it must count
     * nobody there (all older data has nobody), the first with it about {@code persons} (the perturbation is at most
     * 3). False if it does not come within ten seconds.
     */
    private static boolean awaitDataAsOf(Party ministry, java.time.Instant expected, int persons) throws Exception {
        for (int i = 0; i < 100; i++) {
            Response answer = query(ministry, "province=05");
            int count = total(answer);
            if (expected.toString().equals(answer.path("dataAsOf"))) {
                assertTrue(Math.abs(count - persons) <= 3, "the dataAsOf comes with its persons: " + count);
                return true;
            }
            assertEquals(0, count, "an older aggregate answers with its older dataAsOf: " + answer.asString());
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * Issue 11's differencing attack through the endpoint: for each death (one a province between two consecutive
     * days, 104 in all), the attacker asks the province, its women and its men on the day before and the day after,
     * knowing everyone else's true counts, the perturbation table and the minimum cell size — everything but the
     * record keys. The person's presence is hidden when each day's answers are also what some record keys give under
     * the other hypothesis (as disclosure-control's DifferencingTest, here on the replica's rows and the API's answers).
     */
    @Test
    void aDeathCannotBeDerivedBySubtractingTheProvincesAnswersOnTheDaysAroundIt() {
        Party ministry = ministry();
        DisclosureControl control = DisclosureControl.withDefaults(PerturbationTable.defaultTable(), 10);
        int hidden = 0;
        for (int[] trial : TRIALS) {
            String province = String.format("%02d", trial[0]);
            LocalDate dayBefore = BEGAN.plusDays(trial[1]);
            List<PublishedCount> before = answers(ministry, province, dayBefore);
            List<PublishedCount> after = answers(ministry, province, dayBefore.plusDays(1));
            int[] without = {trial[3], trial[4]};
            int[] with = without.clone();
            with[trial[2]]++;
            // the answers must be those of the population with the person, then without
            assertTrue(possible(control, with, before) && possible(control, without, after), "consistent answers");
            if (possible(control, without, before) && possible(control, with, after)) {
                hidden++;
            }
        }
        assertEquals(13 * TRIAL_DAYS - TRIAL_DAYS, TRIALS.size());
        assertTrue(hidden >= 0.6 * TRIALS.size(), "presence derivable too often: hidden in " + hidden + " of "
                + TRIALS.size());
    }

    private static List<PublishedCount> answers(Party party, String province, LocalDate day) {
        List<PublishedCount> answers = new ArrayList<>();
        for (String sex : new String[] {null, "F", "M"}) {
            Response response = query(party, "province=" + province + "&asOf=" + day + (sex == null ? "" : "&sex=" + sex));
            response.then().statusCode(200);
            Integer count = response.path("total.count");
            answers.add(new PublishedCount(count, PublishedCount.Suppression.valueOf(response.path("total.suppression"))));
        }
        return answers;
    }

    /** Whether some keys of the two sex cells publish the observed values (the total's key is their sum). */
    private static boolean possible(DisclosureControl control, int[] counts, List<PublishedCount> observed) {
        boolean[] total = matching(control, counts[0] + counts[1], observed.get(0));
        boolean[] women = matching(control, counts[0], observed.get(1));
        boolean[] men = matching(control, counts[1], observed.get(2));
        for (int f = 0; f < 256; f++) {
            for (int m = 0; women[f] && m < 256; m++) {
                if (men[m] && total[(f + m) % 256]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean[] matching(DisclosureControl control, int count, PublishedCount observed) {
        boolean[] matching = new boolean[256];
        for (int key = 0; key < (count == 0 ? 1 : 256); key++) {
            matching[key] = control.publish(count == 0 ? Cell.EMPTY : new Cell(count, key)).equals(observed);
        }
        return matching;
    }

    private static int total(Response response) {
        response.then().statusCode(200);
        return response.path("total.count");
    }

    private static JsonNode cell(JsonNode cells, String province, String sex) {
        for (JsonNode cell : cells) {
            if (province.equals(cell.path("province").asText())
                    && (sex == null || sex.equals(cell.path("sex").asText()))) {
                return cell;
            }
        }
        throw new AssertionError("no cell " + province + " " + sex);
    }
}
