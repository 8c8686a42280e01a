package kh.dds.billing;

import static io.restassured.RestAssured.given;
import static kh.dds.billing.BillingTestSupport.client;
import static kh.dds.billing.BillingTestSupport.contract;
import static kh.dds.billing.BillingTestSupport.count;
import static kh.dds.billing.BillingTestSupport.metered;
import static kh.dds.billing.BillingTestSupport.meteredNonBillable;
import static kh.dds.billing.BillingTestSupport.publish;
import static kh.dds.billing.BillingTestSupport.record;
import static kh.dds.billing.BillingTestSupport.tariff;
import static kh.dds.billing.BillingTestSupport.token;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.billing.reconcile.Reconciliation;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.time.PhnomPenh;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(BillingTestResource.class)
class BillingTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String TIERED = """
            {"VERIFY":[{"upTo":10,"unitPrice":400},{"upTo":null,"unitPrice":250}],
             "LOOKUP":[{"upTo":null,"unitPrice":1000}]}""";

    /** The API's counters' Redis, where its billed counts live. */
    @Inject
    @RedisClientName(Reconciliation.COUNTERS)
    RedisDataSource redis;

    private static String admin() throws Exception {
        return token(client(null, "admin"), null, "admin");
    }

    private static Instant inPhnomPenh(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(PhnomPenh.ZONE).toInstant();
    }

    @Test
    void aRecordIsMeteredOnceHoweverOftenItComes() throws Exception {
        UUID contract = contract("Once Bank", null, LocalDate.of(2026, 1, 1));
        Instant now = Instant.now();
        List<LookupRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(record(contract, now.minusMillis(i), Product.VERIFY, true));
        }
        for (int i = 0; i < 10; i++) {
            records.add(record(contract, now.minusMillis(i), Product.VERIFY, false));
        }
        publish(records);
        publish(records.subList(0, 30));                  // redelivered
        List<LookupRecord> doubled = new ArrayList<>(records.subList(40, 60));
        doubled.addAll(records.subList(40, 60));          // duplicated within one batch
        publish(doubled);
        await().atMost(CATCH_UP).until(() -> count(
                "SELECT count(*) FROM billing.metered_call WHERE contract_id = ?", contract) == 60);
        Thread.sleep(1_000);
        assertEquals(50, metered(contract), "billable counted once each");
        assertEquals(10, meteredNonBillable(contract), "non-billable counted apart, once each");
        assertEquals(60, count("SELECT count(*) FROM billing.metered_call WHERE contract_id = ?", contract));
    }

    @Test
    void bulkLinesStatisticsAndNotificationsAreMeteredAndPricedLikeAnyProduct() throws Exception {
        UUID tariff = tariff("""
                {"BULK_VERIFY":[{"upTo":1000,"unitPrice":60},{"upTo":null,"unitPrice":40}],
                 "STATISTICS":[{"upTo":null,"unitPrice":5000}],
                 "NOTIFY":[{"upTo":null,"unitPrice":0}]}""");
        UUID contract = contract("Ministry of Social Affairs", tariff, LocalDate.of(2026, 1, 1));
        Instant at = inPhnomPenh("2026-09-15T10:00:00");
        List<LookupRecord> records = new ArrayList<>();
        for (int line = 1; line <= 1_200; line++) {
            // a bulk job's lines as the API writes them: one record a line, the job and line in the detail
            records.add(record(contract, at, Product.BULK_VERIFY, line % 100 != 0)
                    .withDetail("job=018f0000-0000-7000-8000-0000000000bb&line=" + line));
        }
        records.add(record(contract, at, Product.STATISTICS, true).withDetail("asOf=2026-09-15&groupBy=province"));
        records.add(record(contract, at, Product.STATISTICS, true).withDetail("asOf=2026-09-15&groupBy=sex"));
        for (int i = 0; i < 7; i++) {
            records.add(record(contract, at, Product.NOTIFY, true).withDetail("notification=" + i));
        }
        publish(records);
        publish(records.subList(0, 300));                 // a chunk produced again after its node died
        // 1,188 answered lines (every hundredth refused), 2 tables, 7 notifications
        await().atMost(CATCH_UP).until(() -> metered(contract) == 1_188 + 2 + 7);
        String admin = admin();
        JsonPath usage = given().auth().oauth2(admin)
                .get("/v1/contracts/" + contract + "/usage?from=2026-09-01&to=2026-09-30&granularity=month")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("BULK_VERIFY", "NOTIFY", "STATISTICS"), usage.getList("usage.product"));
        assertEquals(List.of(1_188, 7, 2), usage.getList("usage.billable"));
        assertEquals(List.of(12, 0, 0), usage.getList("usage.nonBillable"));
        JsonPath draft = given().auth().oauth2(admin)
                .get("/v1/contracts/" + contract + "/invoices/draft?month=2026-09").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1_000 * 60 + 188 * 40 + 2 * 5000, draft.getLong("amount"), "a tariff of 0 still meters");
        assertEquals(1_188 + 2 + 7, draft.getLong("units"));
    }

    @Test
    void phnomPenhMidnightSplitsTheDaysAndTheMonths() throws Exception {
        UUID contract = contract("Midnight Telco", null, LocalDate.of(2026, 1, 1));
        Instant lastOfNovember = Instant.parse("2026-11-30T16:59:59.999Z");
        Instant firstOfDecember = Instant.parse("2026-11-30T17:00:00Z");
        publish(List.of(record(contract, lastOfNovember, Product.VERIFY, true),
                record(contract, firstOfDecember, Product.VERIFY, true)));
        await().atMost(CATCH_UP).until(() -> metered(contract) == 2);
        String viewer = token(client(contract, "usage"), contract, "usage");
        JsonPath days = given().auth().oauth2(viewer)
                .get("/v1/contracts/" + contract + "/usage?from=2026-11-30&to=2026-12-01")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("2026-11-30", "2026-12-01"), days.getList("usage.period"));
        JsonPath months = given().auth().oauth2(viewer)
                .get("/v1/contracts/" + contract + "/usage?from=2026-11-01&to=2026-12-31&granularity=month")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("2026-11", "2026-12"), months.getList("usage.period"));
        assertEquals(List.of(1, 1), months.getList("usage.billable"));
    }

    @Test
    void aContractSeesItsOwnUsageOnly() throws Exception {
        UUID mine = contract("Own Bank", null, LocalDate.of(2026, 1, 1));
        UUID theirs = contract("Other Bank", null, LocalDate.of(2026, 1, 1));
        Instant at = inPhnomPenh("2026-11-15T10:00:00");
        publish(List.of(record(mine, at, Product.VERIFY, true), record(mine, at, Product.LOOKUP, true),
                record(mine, at, Product.LOOKUP, false), record(theirs, at, Product.VERIFY, true)));
        await().atMost(CATCH_UP).until(() -> metered(mine) == 2 && metered(theirs) == 1);
        String viewerClient = client(mine, "usage");
        String viewer = token(viewerClient, mine, "usage");
        String usage = "/v1/contracts/%s/usage?from=2026-11-01&to=2026-11-30";

        given().auth().oauth2(viewer).get(usage.formatted(mine)).then().statusCode(200)
                .body("usage", hasSize(2)).body("usage[0].product", equalTo("LOOKUP"))
                .body("usage[0].billable", equalTo(1)).body("usage[0].nonBillable", equalTo(1));
        given().auth().oauth2(viewer).accept("text/csv").get(usage.formatted(mine)).then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .body(equalTo("period,product,billable,non_billable\n2026-11-15,LOOKUP,1,1\n2026-11-15,VERIFY,1,0\n"));
        // another contract's usage is not found, whether it exists or not
        given().auth().oauth2(viewer).get(usage.formatted(theirs)).then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://dds.gov.kh/problems/not-found"));
        given().auth().oauth2(viewer).get("/v1/contracts/" + theirs + "/invoices").then().statusCode(404);
        // a token of the contract without the scope
        String verifier = token(client(mine, "verify"), mine, "verify");
        given().auth().oauth2(verifier).get(usage.formatted(mine)).then().statusCode(403)
                .body("type", equalTo("https://dds.gov.kh/problems/scope-missing"));
        // a token naming another contract than its client's
        given().auth().oauth2(token(viewerClient, theirs, "usage")).get(usage.formatted(theirs)).then()
                .statusCode(401);
        given().get(usage.formatted(mine)).then().statusCode(401)
                .body("type", equalTo("https://dds.gov.kh/problems/unauthorized"));
        given().auth().oauth2(viewer + "x").get(usage.formatted(mine)).then().statusCode(401);
        given().auth().oauth2(viewer).get(usage.formatted(mine) + "&granularity=week").then().statusCode(400)
                .body("type", equalTo("https://dds.gov.kh/problems/invalid-request"));
        // administrators see every contract
        String admin = admin();
        given().auth().oauth2(admin).get(usage.formatted(theirs)).then().statusCode(200)
                .body("usage[0].billable", equalTo(1));
        // a revoked client's unexpired token is refused
        BillingTestSupport.revoke(viewerClient);
        given().auth().oauth2(viewer).get(usage.formatted(mine)).then().statusCode(401)
                .body("type", equalTo("https://dds.gov.kh/problems/client-revoked"));
    }

    @Test
    void aClosedMonthIsInvoicedOnceAndCorrectedByACreditNote() throws Exception {
        UUID tariff = tariff(TIERED);
        UUID contract = contract("Bank <Acme> & Co, Ltd", tariff, LocalDate.of(2026, 1, 1));
        List<LookupRecord> october = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            october.add(record(contract, inPhnomPenh("2026-10-0" + (1 + i % 9) + "T09:00:00"), Product.VERIFY,
                    true));
        }
        for (int i = 0; i < 3; i++) {
            october.add(record(contract, inPhnomPenh("2026-10-31T23:59:59"), Product.LOOKUP, true));
        }
        for (int i = 0; i < 5; i++) {
            october.add(record(contract, inPhnomPenh("2026-10-20T12:00:00"), Product.VERIFY, false));
        }
        // November's first minute belongs to November's invoice
        october.add(record(contract, inPhnomPenh("2026-11-01T00:00:00"), Product.VERIFY, true));
        publish(october);
        await().atMost(CATCH_UP).until(() -> metered(contract) == 19);
        String admin = admin();
        String invoices = "/v1/contracts/" + contract + "/invoices";
        // before the close: the draft prices the month as its invoice will, numbering and storing nothing
        JsonPath draft = given().auth().oauth2(admin).get(invoices + "/draft?month=2026-10").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(10 * 400 + 5 * 250 + 3 * 1000, draft.getLong("amount"));
        assertEquals(18, draft.getLong("units"));
        assertEquals(List.of("LOOKUP", "VERIFY", "VERIFY"), draft.getList("lines.product"));
        assertEquals(0, given().auth().oauth2(admin).get(invoices).then().extract().jsonPath().getList("$").size());

        given().auth().oauth2(admin).post("/v1/admin/invoices/close?month=2026-10").then().statusCode(200);
        JsonPath issued = given().auth().oauth2(admin).get(invoices + "?month=2026-10").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("INVOICE"), issued.getList("kind"));
        // 10 at 400 and 5 at 250 (VERIFY), 3 at 1000 (LOOKUP)
        assertEquals(10 * 400 + 5 * 250 + 3 * 1000, issued.getLong("[0].total"));
        assertEquals(18, issued.getLong("[0].units"));
        assertEquals(List.of("LOOKUP", "VERIFY", "VERIFY"), issued.getList("[0].lines.product"));
        String first = issued.getString("[0].number");

        // a rerun finds the invoice right and issues nothing
        given().auth().oauth2(admin).post("/v1/admin/invoices/close?month=2026-10").then().statusCode(200);
        assertEquals(1, given().auth().oauth2(admin).get(invoices).then().extract().jsonPath().getList("$").size());

        // a record of October arrives late: the invoice is credited in full and replaced
        publish(List.of(record(contract, inPhnomPenh("2026-10-12T08:00:00"), Product.VERIFY, true)));
        await().atMost(CATCH_UP).until(() -> metered(contract) == 20);
        given().auth().oauth2(admin).post("/v1/admin/invoices/close?month=2026-10").then().statusCode(200);
        JsonPath all = given().auth().oauth2(admin).get(invoices).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("INVOICE", "CREDIT_NOTE", "INVOICE"), all.getList("kind"));
        assertEquals(-(10 * 400 + 5 * 250 + 3 * 1000), all.getLong("[1].total"));
        assertEquals(first, all.getString("[1].corrects"));
        assertEquals(first, all.getString("[2].corrects"));
        assertEquals(10 * 400 + 6 * 250 + 3 * 1000, all.getLong("[2].total"));
        long owed = all.getList("total", Long.class).stream().mapToLong(Long::longValue).sum();
        assertEquals(10 * 400 + 6 * 250 + 3 * 1000, owed, "the documents sum to what the tariff gives");
        assertEquals(owed, given().auth().oauth2(admin).get(invoices + "/draft?month=2026-10").then().statusCode(200)
                .extract().jsonPath().getLong("amount"), "the draft of a closed month equals what stands");

        // issued documents cannot be changed, not even by the database's owner
        assertThrows(SQLException.class, () -> BillingTestSupport.execute(
                "UPDATE billing.invoice SET total = 0 WHERE number = ?", first));
        assertThrows(SQLException.class, () -> BillingTestSupport.execute(
                "DELETE FROM billing.invoice_line WHERE invoice_id = (SELECT id FROM billing.invoice WHERE number = ?)",
                first));

        // the document as JSON (the default), printable and CSV
        String replacement = all.getString("[2].number");
        given().auth().oauth2(admin).get(invoices + "/" + replacement).then().statusCode(200)
                .contentType(startsWith("application/json")).body("total", equalTo(8500));
        given().auth().oauth2(admin).accept("text/html").get(invoices + "/" + replacement).then().statusCode(200)
                .body(containsString("Bank &lt;Acme&gt; &amp; Co, Ltd")).body(containsString("Replaces " + first))
                .body(containsString("8,500"));
        String csv = given().auth().oauth2(admin).accept("text/csv").get(invoices + "/" + replacement).then()
                .statusCode(200).extract().asString();
        assertEquals(4, csv.lines().count(), csv);
        assertTrue(csv.lines().skip(1).allMatch(line -> line.startsWith(replacement + ",INVOICE," + contract
                + ",\"Bank <Acme> & Co, Ltd\",2026-10,")), csv);

        // the relying party sees its own invoices
        String viewer = token(client(contract, "usage"), contract, "usage");
        given().auth().oauth2(viewer).get(invoices).then().statusCode(200).body("$", hasSize(3));
        given().auth().oauth2(viewer).get(invoices + "/draft?month=2026-10").then().statusCode(200)
                .body("amount", equalTo(8500));
        // and no other contract's, not even its draft
        UUID other = contract("Other Bank", tariff, LocalDate.of(2026, 1, 1));
        given().auth().oauth2(viewer).get("/v1/contracts/" + other + "/invoices/draft").then().statusCode(404);
        given().auth().oauth2(viewer).get(invoices + "/draft?month=2026-13").then().statusCode(400);
        // hostile months: NUL and control characters, a long value, a number where a month belongs, a month with
        // a line feed or spaces around it (never stripped into the month), a sign or a longer year
        for (String month : new String[] {"2026-10%00", "x".repeat(4_000), "202610", "%FF%FE", "%0A2026-10",
                "2026-10%0A", "%202026-10", "2026-10%20", "%092026-10", "+2026-10", "%0A"}) {
            given().auth().oauth2(viewer).urlEncodingEnabled(false).get(invoices + "/draft?month=" + month).then()
                    .statusCode(400).contentType(startsWith("application/problem+json"));
            given().auth().oauth2(viewer).urlEncodingEnabled(false).get(invoices + "?month=" + month).then()
                    .statusCode(400).contentType(startsWith("application/problem+json"));
        }
        // the usage's days and granularity alike
        String usage = "/v1/contracts/" + contract + "/usage";
        for (String query : new String[] {"from=%0A2026-10-01", "to=2026-10-31%0A", "from=%202026-10-01",
                "to=+2026-10-31", "granularity=%0Aday", "granularity=day%20"}) {
            given().auth().oauth2(viewer).urlEncodingEnabled(false).get(usage + "?" + query).then()
                    .statusCode(400).contentType(startsWith("application/problem+json"));
        }
    }

    @Test
    void numbersRunWithoutGapsAndOpenMonthsStayOpen() throws Exception {
        String admin = admin();
        YearMonth current = PhnomPenh.month(Instant.now());
        given().auth().oauth2(admin).post("/v1/admin/invoices/close?month=" + current).then().statusCode(409)
                .body("type", equalTo("https://dds.gov.kh/problems/month-not-closed"));
        given().auth().oauth2(token(client(null, "audit"), null, "audit"))
                .post("/v1/admin/invoices/close?month=2026-10").then().statusCode(403);

        // several contracts closed at once by concurrent runs
        UUID tariff = tariff(TIERED);
        List<UUID> contracts = new ArrayList<>();
        List<LookupRecord> records = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            UUID contract = contract("Series Bank " + c, tariff, LocalDate.of(2026, 1, 1));
            contracts.add(contract);
            for (int i = 0; i <= c; i++) {
                records.add(record(contract, inPhnomPenh("2026-09-10T10:00:00"), Product.VERIFY, true));
            }
        }
        publish(records);
        await().atMost(CATCH_UP).until(() -> contracts.stream().allMatch(c -> {
            try {
                return metered(c) > 0;
            } catch (Exception e) {
                return false;
            }
        }));
        List<Thread> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread run = new Thread(() -> given().auth().oauth2(admin).post("/v1/admin/invoices/close?month=2026-09")
                    .then().statusCode(200));
            runs.add(run);
            run.start();
        }
        for (Thread run : runs) {
            run.join();
        }
        for (UUID contract : contracts) {
            assertEquals(1, count("SELECT count(*) FROM billing.invoice WHERE contract_id = ?", contract),
                    "one invoice per contract, however many runs");
        }
        for (Map.Entry<String, Long> series : List.of(Map.entry("INV-", 0L), Map.entry("CN-", 0L))) {
            long documents = count("SELECT count(*) FROM billing.invoice WHERE number LIKE ?",
                    series.getKey() + PhnomPenh.today().getYear() + "-%");
            long highest = count("SELECT coalesce(max(substring(number FROM '[0-9]+$')::bigint), 0) "
                    + "FROM billing.invoice WHERE number LIKE ?", series.getKey() + PhnomPenh.today().getYear() + "-%");
            assertEquals(highest, documents, series.getKey() + " numbers 1.." + highest + " without a gap");
        }
    }

    @Test
    void aTariffChangedMidMonthPricesEachDayByItsOwn() throws Exception {
        UUID before = tariff("{\"VERIFY\":[{\"upTo\":10,\"unitPrice\":100},{\"upTo\":null,\"unitPrice\":50}]}");
        UUID after = tariff("{\"VERIFY\":[{\"upTo\":10,\"unitPrice\":80},{\"upTo\":null,\"unitPrice\":40}]}");
        UUID contract = contract("Changing Bank", before, LocalDate.of(2026, 8, 1));
        BillingTestSupport.assignTariff(contract, after, LocalDate.of(2026, 8, 16));
        List<LookupRecord> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(record(contract, inPhnomPenh("2026-08-05T10:00:00"), Product.VERIFY, true));
            records.add(record(contract, inPhnomPenh("2026-08-20T10:00:00"), Product.VERIFY, true));
        }
        publish(records);
        await().atMost(CATCH_UP).until(() -> metered(contract) == 12);
        String admin = admin();
        given().auth().oauth2(admin).post("/v1/admin/invoices/close?month=2026-08").then().statusCode(200);
        given().auth().oauth2(admin).get("/v1/contracts/" + contract + "/invoices").then().statusCode(200)
                .body("[0].total", equalTo(6 * 100 + 4 * 80 + 2 * 40))
                .body("[0].lines.unitPrice", equalTo(List.of(100, 80, 40)));
    }

    @Test
    void reconciliationComparesTheLedgerTheMeterAndTheApi() throws Exception {
        BillingTestSupport.statement(
                "CREATE TABLE IF NOT EXISTS audit.lookup_record_billing_test PARTITION OF audit.lookup_record DEFAULT");
        UUID contract = contract("Reconciled Bank", null, LocalDate.of(2026, 1, 1));
        LocalDate today = PhnomPenh.today();
        List<LookupRecord> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(record(contract, Instant.now(), Product.VERIFY, true));
        }
        records.add(record(contract, Instant.now(), Product.VERIFY, false));
        // the ledger as the API's ledger writer holds them
        for (LookupRecord record : records) {
            BillingTestSupport.execute("""
                    INSERT INTO audit.lookup_record (occurred_at, lookup_id, lane, seq, contract_id, client_id,
                        product, outcome, fields_disclosed, http_status, billable, latency_micros, prev_hash, hash)
                    VALUES (?, ?::uuid, 0, 0, ?, 'cl-test', 'VERIFY', ?, '{}', 200, ?, 1, '\\x00', '\\x00')""",
                    java.sql.Timestamp.from(record.occurredAt()), record.lookupId(), contract, record.outcome(),
                    record.billable());
        }
        publish(records);
        await().atMost(CATCH_UP).until(() -> metered(contract) == 5);
        String key = "dds:billed:" + contract + ":" + today;
        redis.value(Long.class).set(key, 5L);
        String admin = admin();
        JsonPath report = given().auth().oauth2(admin).get("/v1/admin/reconciliation?date=" + today).then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> mine = report.getMap("contracts.find { it.contractId == '" + contract + "' }");
        assertEquals(Map.of("contractId", contract.toString(), "audited", 5, "metered", 5, "api", 5, "equal", true),
                mine);

        redis.value(Long.class).set(key, 6L);
        report = given().auth().oauth2(admin).get("/v1/admin/reconciliation?date=" + today).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(false, report.getBoolean("contracts.find { it.contractId == '" + contract + "' }.equal"));
        assertTrue(report.getInt("differences") >= 1);
        redis.key().del(key);

        given().auth().oauth2(token(client(contract, "usage"), contract, "usage"))
                .get("/v1/admin/reconciliation").then().statusCode(403);
    }

    @Test
    void usageInvoicesReconciliationAndProblemsAreNeverStoredByACache() throws Exception {
        UUID contract = contract("Bank No-Store", tariff(TIERED), LocalDate.parse("2026-01-01"));
        String viewer = token(client(contract, "usage"), contract, "usage");
        String admin = admin();
        List<io.restassured.response.Response> answers = List.of(
                given().auth().oauth2(viewer).get("/v1/contracts/" + contract + "/usage"),
                given().auth().oauth2(viewer).accept("text/csv").get("/v1/contracts/" + contract + "/usage"),
                given().auth().oauth2(viewer).get("/v1/contracts/" + contract + "/invoices"),
                given().auth().oauth2(admin).get("/v1/admin/reconciliation?date=" + PhnomPenh.today()),
                given().auth().oauth2(viewer).get("/v1/contracts/" + UUID.randomUUID() + "/usage"),
                given().get("/v1/contracts/" + contract + "/usage"));
        assertEquals(List.of(200, 200, 200, 200, 404, 401),
                answers.stream().map(io.restassured.response.Response::statusCode).toList());
        for (io.restassured.response.Response answer : answers) {
            assertEquals("no-store", answer.header("Cache-Control"));
            assertEquals("no-cache", answer.header("Pragma"));
        }
    }
}
