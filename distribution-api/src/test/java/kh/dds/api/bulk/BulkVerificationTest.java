package kh.dds.api.bulk;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.lookupRecords;
import static kh.dds.api.ApiTestSupport.newKidc;
import static kh.dds.api.ApiTestSupport.party;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.api.bulk.job.BulkHousekeeping;
import kh.dds.api.bulk.job.ChunkQueue;
import kh.dds.api.bulk.work.BulkWorkers;
import kh.dds.api.bulk.work.ChunkWorker;
import kh.dds.localstack.LocalServicesResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/bulk-verifications} end to end on real PostgreSQL, Redis and Kafka: uploads streamed into jobs, worked by
 * the node's bulk workers, every line answered as the interactive call answers it, audited once (read back from the
 * topic and from the ledger) and its quota counted once; idempotency, limits, cancellation, another contract's jobs,
 * the quota running out, retention, and a chunk whose node died before and after its records were produced.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class BulkVerificationTest {

    private static final String PURPOSE = "SOCIAL_BENEFIT_ELIGIBILITY";
    private static final String NDJSON = "application/x-ndjson";

    @Inject
    BulkWorkers workers;
    @Inject
    ChunkQueue queue;
    @Inject
    ChunkWorker worker;
    @Inject
    BulkHousekeeping housekeeping;
    @Inject
    @io.quarkus.redis.client.RedisClientName(kh.dds.api.call.UsageLimits.CLIENT)
    io.quarkus.redis.datasource.RedisDataSource counters;

    @AfterEach
    void resume() {
        workers.pause(false);
    }

    private static Party ministry(Map<String, Object> terms) {
        Map<String, Object> all = new HashMap<>();
        all.put("kind", "MINISTRY");
        all.put("products", List.of("VERIFY", "BULK_VERIFY"));
        all.put("purposes", List.of(PURPOSE));
        all.putAll(terms);
        return party(all, "bulk", "verify");
    }

    private static Response upload(Party party, String contentType, String body, String idempotencyKey) {
        var request = given().auth().oauth2(party.token()).header("X-Operator-Id", "clerk-3")
                .contentType(contentType + "; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .queryParam("purpose", PURPOSE);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/bulk-verifications");
    }

    private static String accepted(Party party, String contentType, String body) {
        Response response = upload(party, contentType, body, null);
        response.then().statusCode(202);
        assertTrue(response.header("Location").endsWith("/v1/bulk-verifications/" + response.path("id")));
        return response.path("id");
    }

    private static JsonNode status(Party party, String job) throws Exception {
        Response response = given().auth().oauth2(party.token()).get("/v1/bulk-verifications/" + job);
        response.then().statusCode(200);
        return ApiTestSupport.JSON.readTree(response.asString());
    }

    private static JsonNode ended(Party party, String job) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = status(party, job);
            String status = last[0].path("status").asText();
            return status.equals("COMPLETED") || status.equals("CANCELLED") || status.equals("FAILED");
        });
        return last[0];
    }

    private static List<JsonNode> results(Party party, String job, long fromLine) throws Exception {
        String text = given().auth().oauth2(party.token()).accept(NDJSON).queryParam("fromLine", fromLine)
                .get("/v1/bulk-verifications/" + job + "/results").then().statusCode(200).extract().asString();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(ApiTestSupport.JSON.readTree(line));
            }
        }
        return rows;
    }

    private static JsonNode interactive(Party party, String body) throws Exception {
        String answer = given().auth().oauth2(party.token()).header("X-Operator-Id", "clerk-3")
                .contentType(ContentType.JSON).body(body).post("/v1/verifications").asString();
        return ApiTestSupport.JSON.readTree(answer);
    }

    private static List<JsonNode> lineRecords(String job) {
        return lookupRecords(record -> record.path("detail").asText().startsWith("job=" + job + "&line="));
    }

    private static long sqlLong(String query) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String update) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             Statement statement = connection.createStatement()) {
            statement.execute(update);
        }
    }

    private static String line(String kidc, String reference, String claims) {
        return "{\"kidc\":\"" + kidc + "\",\"reference\":\"" + reference + "\",\"claims\":" + claims + "}";
    }

    @Test
    void everyLineIsAnsweredAsTheInteractiveCallAnswersItAndAuditedOnce() throws Exception {
        Party ministry = ministry(Map.of());
        String sok = activePerson();
        String unknown = newKidc();
        List<String> lines = List.of(
                line(sok, "r-1", "{\"familyName\":\"SOK\",\"givenName\":\"DARA\",\"dateOfBirth\":\"1990-05-17\"}"),
                line(sok, "r-2", "{\"familyName\":\"សុខ\",\"givenName\":\"Darra\"}"),
                line(sok, "r-3", "{\"familyName\":\"CHAN\",\"sex\":\"F\"}"),
                line(unknown, "r-4", "{\"familyName\":\"SOK\"}"),
                "",
                "{\"kidc\":\"12345\",\"reference\":\"r-6\"}",
                line(sok, "r-7", "{\"dateOfBirth\":\"1990-13-45\"}"),
                "{\"kidc\":\"" + sok + "\",\"colour\":\"blue\"}",
                "{\"kidc\":\"" + sok + "\",\"conditions\":{\"ageAtLeast\":18,\"alive\":true}}");
        String job = accepted(ministry, NDJSON, String.join("\n", lines) + "\n");

        JsonNode status = ended(ministry, job);
        assertEquals("COMPLETED", status.path("status").asText());
        assertEquals(30, java.time.Duration.between(java.time.Instant.parse(status.path("finishedAt").asText()),
                java.time.Instant.parse(status.path("expiresAt").asText())).toDays(), "kept 30 days by default");
        assertEquals(8, status.path("linesReceived").asLong());
        assertEquals(8, status.path("linesDone").asLong());
        assertEquals(3, status.path("errors").asLong());
        assertEquals(5, status.path("matched").asLong() + status.path("partial").asLong()
                + status.path("notMatched").asLong());

        List<JsonNode> rows = results(ministry, job, 1);
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L), rows.stream().map(row -> row.path("line").asLong())
                .toList(), "one row a line that is not empty, in input order, under the client's numbers");
        for (JsonNode row : rows) {
            int index = (int) row.path("line").asLong() - 1;
            if (row.has("problem")) {
                continue;
            }
            JsonNode body = ApiTestSupport.JSON.readTree(lines.get(index));
            ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("purpose", PURPOSE);
            JsonNode answer = interactive(ministry, body.toString());
            assertEquals(answer.path("decision"), row.path("decision"), "line " + (index + 1));
            assertEquals(answer.path("kidcStatus"), row.path("kidcStatus"), "line " + (index + 1));
            assertEquals(answer.path("claims"), row.path("claims"), "line " + (index + 1));
            assertEquals(answer.path("conditions"), row.path("conditions"), "line " + (index + 1));
            assertEquals(answer.path("reference"), row.path("reference"), "line " + (index + 1));
        }
        assertEquals("invalid-kidc", rows.get(4).path("problem").path("type").asText());
        assertEquals("invalid-claim", rows.get(5).path("problem").path("type").asText());
        assertEquals("invalid-request", rows.get(6).path("problem").path("type").asText());
        assertEquals(List.of(7L, 8L, 9L), results(ministry, job, 7).stream().map(row -> row.path("line").asLong())
                .toList(), "resumable from a line");

        List<JsonNode> records = lineRecords(job);
        assertEquals(8, records.size(), "exactly one lookup record a line");
        Set<String> details = new HashSet<>();
        for (JsonNode record : records) {
            details.add(record.path("detail").asText());
            assertEquals("BULK_VERIFY", record.path("product").asText());
            assertEquals(ministry.contractId(), record.path("contractId").asText());
            assertEquals("clerk-3", record.path("operatorId").asText());
            assertEquals(PURPOSE, record.path("purpose").asText());
            boolean answered = record.path("outcome").asText().equals("ANSWERED");
            assertEquals(answered, record.path("billable").asBoolean(), "answered lines only are billable");
        }
        assertEquals(8, details.size());
        JsonNode badKidc = records.stream().filter(r -> r.path("detail").asText().endsWith("&line=6")).findFirst()
                .orElseThrow();
        assertEquals("12345", badKidc.path("subjectKidc").asText(), "the subject as given");
        assertEquals("REFUSED", badKidc.path("outcome").asText());
        for (JsonNode row : rows) {
            String id = row.path("verificationId").asText();
            assertTrue(records.stream().anyMatch(r -> r.path("lookupId").asText().equals(id)),
                    "each row's verificationId is its line's lookup id");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sqlLong(
                "SELECT count(*) FROM audit.lookup_record WHERE detail LIKE 'job=" + job + "&line=%'") == 8);
    }

    @Test
    void aCsvUploadWithBomCrlfAndKhmerNamesIsReadAndAnsweredAsCsv() throws Exception {
        Party ministry = ministry(Map.of());
        String sok = activePerson();
        String csv = "\uFEFFkidc,reference,familyName,givenName,dateOfBirth,ageAtLeast\r\n"
                + sok + ",\"a, quoted\",សុខ,ដារ៉ា,1990-05-17,18\r\n"
                + sok + ",=cmd,CHAN,,,\r\n"
                + "not-a-kidc,x,,,,\r\n";
        String job = accepted(ministry, "text/csv", csv);
        assertEquals("COMPLETED", ended(ministry, job).path("status").asText());
        String text = given().auth().oauth2(ministry.token()).accept("text/csv")
                .get("/v1/bulk-verifications/" + job + "/results").then().statusCode(200).extract().asString();
        String[] rows = text.split("\n");
        assertEquals(4, rows.length, text);
        assertTrue(rows[0].startsWith("line,verificationId,reference,kidcStatus,decision"));
        assertTrue(rows[1].startsWith("2,") && rows[1].contains(",\"a, quoted\",ACTIVE,MATCH,MATCH,MATCH,MATCH,"),
                rows[1]);
        assertTrue(rows[2].startsWith("3,") && rows[2].contains(",'=cmd,ACTIVE,NO_MATCH,"), "formula neutralised: "
                + rows[2]);
        assertTrue(rows[3].startsWith("4,") && rows[3].contains("invalid-kidc"), rows[3]);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstJob() {
        Party ministry = ministry(Map.of());
        String body = line(newKidc(), "r", "{\"familyName\":\"SOK\"}") + "\n";
        Response first = upload(ministry, NDJSON, body, "roll-2026-12");
        first.then().statusCode(202);
        Response again = upload(ministry, NDJSON, body + body, "roll-2026-12");
        again.then().statusCode(202);
        assertEquals(first.path("id").toString(), again.path("id").toString());
        assertEquals("true", again.header("Idempotent-Replayed"));
        ended(ministry, first.path("id"));
        assertEquals(1, lineRecords(first.path("id")).size());
    }

    @Test
    void anotherContractsJobIsNotFound() throws Exception {
        Party ministry = ministry(Map.of());
        Party other = ministry(Map.of());
        String job = accepted(ministry, NDJSON, line(newKidc(), "r", "{\"familyName\":\"SOK\"}"));
        ended(ministry, job);
        given().auth().oauth2(other.token()).get("/v1/bulk-verifications/" + job).then().statusCode(404);
        given().auth().oauth2(other.token()).accept(NDJSON).get("/v1/bulk-verifications/" + job + "/results")
                .then().statusCode(404);
        given().auth().oauth2(other.token()).delete("/v1/bulk-verifications/" + job).then().statusCode(404);
        given().auth().oauth2(other.token()).get("/v1/bulk-verifications/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(other.token()).get("/v1/bulk-verifications/not-a-job").then().statusCode(404);
        // the list of a contract's jobs holds its own alone
        given().auth().oauth2(ministry.token()).get("/v1/bulk-verifications").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(job)).body("contractId",
                        org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.equalTo(ministry.contractId())));
        given().auth().oauth2(other.token()).get("/v1/bulk-verifications").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(job)));
        for (String hostile : new String[] {"0", "501", "x", "1\u0000", "9".repeat(3_000)}) {
            given().auth().oauth2(ministry.token()).queryParam("limit", hostile).get("/v1/bulk-verifications")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(ministry.token()).queryParam("before", "yesterday").get("/v1/bulk-verifications")
                .then().statusCode(400).contentType("application/problem+json");
        Party bank = party(Map.of(), "verify");
        given().auth().oauth2(bank.token()).get("/v1/bulk-verifications/" + job).then().statusCode(403);
        given().auth().oauth2(bank.token()).get("/v1/bulk-verifications").then().statusCode(403);
        upload(bank, NDJSON, "{}", null).then().statusCode(403);
        String admin = ApiTestSupport.adminToken();
        given().auth().oauth2(admin).queryParam("contract", ministry.contractId())
                .get("/v1/admin/bulk-verifications").then().statusCode(200)
                .body("[0].id", org.hamcrest.Matchers.equalTo(job));
        given().auth().oauth2(ministry.token()).get("/v1/admin/bulk-verifications").then().statusCode(403);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("api_bulk_queue_lines") && metrics.contains("api_bulk_oldest_queued_seconds")
                && metrics.contains("api_bulk_lines_total"), "the bulk metrics are published");
    }

    @Test
    void uploadsBeyondTheContractsLimitsAreRefused() throws Exception {
        Party ministry = ministry(Map.of());
        sql("UPDATE api.contract SET bulk_max_lines_per_job = 3, bulk_max_open_jobs = 1 WHERE id = '"
                + ministry.contractId() + "'");
        String four = String.join("\n", List.of(line(newKidc(), "1", "{}"), line(newKidc(), "2", "{}"),
                line(newKidc(), "3", "{}"), line(newKidc(), "4", "{}")));
        upload(ministry, NDJSON, four, null).then().statusCode(413)
                .body("type", org.hamcrest.Matchers.endsWith("payload-too-large"));
        assertEquals(0, sqlLong("SELECT count(*) FROM api.bulk_line l JOIN api.bulk_job j ON j.id = l.job_id "
                + "WHERE j.contract_id = '" + ministry.contractId() + "'"), "a refused upload keeps no line");
        sql("INSERT INTO api.bulk_job (id, contract_id, client_id, purpose, format, status, created_at, heartbeat_at) "
                + "VALUES ('" + UUID.randomUUID() + "', '" + ministry.contractId() + "', 'c', 'p', 'NDJSON', "
                + "'RECEIVING', now(), now())");
        upload(ministry, NDJSON, line(newKidc(), "1", "{}"), null).then().statusCode(429)
                .body("type", org.hamcrest.Matchers.endsWith("too-many-jobs"));
        upload(ministry, "text/csv", "colour\nblue\n", null).then().statusCode(429);
        upload(ministry(Map.of()), "text/csv", "colour\nblue\n", null).then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("invalid-request"));
        given().auth().oauth2(ministry.token()).header("X-Operator-Id", "clerk-3").contentType(NDJSON)
                .body("{}".getBytes(StandardCharsets.UTF_8)).queryParam("purpose", "MARKETING").post("/v1/bulk-verifications").then().statusCode(403)
                .body("type", org.hamcrest.Matchers.endsWith("unknown-purpose"));
    }

    @Test
    void aJobReachingTheQuotaStopsWithTheRestReportedQuotaExceeded() throws Exception {
        Party ministry = ministry(Map.of("monthlyQuota", 60));
        String sok = activePerson();
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 150; i++) {
            body.append(line(sok, "r-" + i, "{\"familyName\":\"SOK\"}")).append('\n');
        }
        String job = accepted(ministry, NDJSON, body.toString());
        JsonNode status = ended(ministry, job);
        assertEquals("COMPLETED", status.path("status").asText());
        assertEquals("quota-exceeded", status.path("reason").asText());
        assertEquals(60, status.path("matched").asLong());
        assertEquals(90, status.path("quotaExceeded").asLong());
        List<JsonNode> rows = results(ministry, job, 1);
        assertEquals(150, rows.size());
        assertEquals(90, rows.stream().filter(r -> r.path("problem").path("type").asText().equals("quota-exceeded"))
                .count());
        List<JsonNode> records = lineRecords(job);
        assertEquals(60, records.stream().filter(r -> r.path("billable").asBoolean()).count());
        assertTrue(records.size() <= 150 && records.size() >= 60);
        assertEquals("60", counters.value(String.class).get("dds:quota:" + ministry.contractId() + ":"
                + kh.dds.schema.time.PhnomPenh.month(java.time.Instant.now())), "the quota counts the lines billed");
    }

    @Test
    void aCancelledJobLeavesItsUnverifiedLinesUnauditedAndUnbilled() throws Exception {
        Party ministry = ministry(Map.of());
        workers.pause(true);
        await().until(workers::idle);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 120; i++) {
            body.append(line(newKidc(), "r-" + i, "{\"familyName\":\"SOK\"}")).append('\n');
        }
        String job = accepted(ministry, NDJSON, body.toString());
        assertEquals("QUEUED", status(ministry, job).path("status").asText());
        assertEquals(0, results(ministry, job, 1).size(), "nothing readable before it is audited");
        // one chunk worked through by hand, as a node would
        ChunkQueue.Claim claim = queue.claim("test-node", Duration.ofSeconds(30)).await().indefinitely()
                .orElseThrow();
        worker.work(claim);
        assertEquals(50, results(ministry, job, 1).size(), "the rows done so far");
        JsonNode cancelled = ApiTestSupport.JSON.readTree(given().auth().oauth2(ministry.token())
                .delete("/v1/bulk-verifications/" + job).then().statusCode(200).extract().asString());
        assertEquals("CANCELLED", cancelled.path("status").asText());
        assertEquals(70, cancelled.path("cancelled").asLong());
        workers.pause(false);
        List<JsonNode> rows = results(ministry, job, 1);
        assertEquals(120, rows.size());
        assertEquals(70, rows.stream().filter(r -> r.path("problem").path("type").asText().equals("cancelled"))
                .count());
        assertEquals(50, lineRecords(job).size(), "only the verified lines are audited");
    }

    @Test
    void aChunkWhoseNodeDiedIsRedoneAndEveryLineStillAuditedOnce() throws Exception {
        Party ministry = ministry(Map.of());
        String sok = activePerson();
        workers.pause(true);
        await().until(workers::idle);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            body.append(line(sok, "r-" + i, "{\"familyName\":\"SOK\"}")).append('\n');
        }
        String job = accepted(ministry, NDJSON, body.toString());
        // chunk 0: its node verified it and produced its records, then died before marking it done
        ChunkQueue.Claim first = claim(job, "dying-node-1");
        assertTrue(worker.verify(first));
        worker.produce(first);
        // chunk 1: its node died right after claiming it
        ChunkQueue.Claim second = claim(job, "dying-node-2");
        assertEquals(0, first.chunkNo());
        assertEquals(1, second.chunkNo());
        sql("UPDATE api.bulk_chunk SET lease_until = now() - interval '1 second' WHERE job_id = '" + job + "'");
        workers.pause(false);
        JsonNode status = ended(ministry, job);
        assertEquals("COMPLETED", status.path("status").asText());
        assertEquals(100, status.path("matched").asLong());
        assertEquals(2, sqlLong("SELECT attempts FROM api.bulk_chunk WHERE job_id = '" + job + "' AND chunk_no = 0"));
        List<JsonNode> records = lineRecords(job);
        Map<String, List<JsonNode>> byId = new HashMap<>();
        records.forEach(r -> byId.computeIfAbsent(r.path("lookupId").asText(), k -> new ArrayList<>()).add(r));
        assertEquals(100, byId.size(), "one lookup id a line");
        assertEquals(150, records.size(), "chunk 0's records produced twice, chunk 1's once");
        for (List<JsonNode> same : byId.values()) {
            assertTrue(same.stream().allMatch(r -> r.equals(same.get(0))), "a redo produces the very same record");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sqlLong(
                "SELECT count(*) FROM audit.lookup_record WHERE detail LIKE 'job=" + job + "&line=%'") == 100);
        assertEquals(100, results(ministry, job, 1).size());
    }

    @Test
    void aContractsSmallJobIsWorkedBesideAnotherContractsBigOneNotAfterIt() throws Exception {
        Party big = ministry(Map.of());
        Party small = ministry(Map.of());
        workers.pause(true);
        await().until(workers::idle);
        StringBuilder bigBody = new StringBuilder();
        for (int i = 1; i <= 30 * 50; i++) {
            bigBody.append(line(newKidc(), "b-" + i, "{\"familyName\":\"SOK\"}")).append('\n');
        }
        StringBuilder smallBody = new StringBuilder();
        for (int i = 1; i <= 2 * 50; i++) {
            smallBody.append(line(newKidc(), "s-" + i, "{\"familyName\":\"SOK\"}")).append('\n');
        }
        String bigJob = accepted(big, NDJSON, bigBody.toString());
        // the big job has had its first turn before the small one arrives, as a job already running would have
        ChunkQueue.Claim first = claim(bigJob, "test-node");
        worker.work(first);
        String smallJob = accepted(small, NDJSON, smallBody.toString());
        workers.pause(false);
        assertEquals("COMPLETED", ended(small, smallJob).path("status").asText());
        assertEquals("COMPLETED", ended(big, bigJob).path("status").asText());
        long bigChunksBefore = sqlLong("SELECT count(*) FROM api.bulk_chunk c WHERE c.job_id = '" + bigJob + "' AND "
                + "c.stamped_at < (SELECT finished_at FROM api.bulk_job WHERE id = '" + smallJob + "')");
        // taken in turns: the small job's 2 chunks alternate with the big one's (2 workers may each hold one more);
        // oldest job first, all 30 of the big job's would have been taken before
        assertTrue(bigChunksBefore <= 6, "the big job's chunks taken before the small job ended: " + bigChunksBefore);
    }

    @Test
    void aLeaseIsRenewedWhileHeldAndNotOnceTakenOver() throws Exception {
        Party ministry = ministry(Map.of());
        workers.pause(true);
        await().until(workers::idle);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            body.append(line(newKidc(), "r-" + i, "{\"familyName\":\"SOK\"}")).append('\n');
        }
        String job = accepted(ministry, NDJSON, body.toString());
        ChunkQueue.Claim slow = claim(job, "slow-node");
        sql("UPDATE api.bulk_chunk SET lease_until = now() + interval '1 second' WHERE job_id = '" + job + "'");
        assertTrue(queue.renew(slow, Duration.ofSeconds(30)).await().indefinitely());
        assertTrue(sqlLong("SELECT extract(epoch FROM lease_until - now())::bigint FROM api.bulk_chunk WHERE job_id = '"
                + job + "'") > 20, "the lease runs 30 s from the renewal");
        sql("UPDATE api.bulk_chunk SET lease_until = now() - interval '1 second' WHERE job_id = '" + job + "'");
        ChunkQueue.Claim taker = claim(job, "taking-node");
        assertFalse(queue.renew(slow, Duration.ofSeconds(30)).await().indefinitely(), "the lease was taken over");
        assertFalse(worker.verify(slow), "nothing of the slow node's work is stored");
        worker.work(taker);
        workers.pause(false);
        JsonNode status = ended(ministry, job);
        assertEquals("COMPLETED", status.path("status").asText());
        assertEquals(50, lineRecords(job).size(), "each line audited once");
    }

    private ChunkQueue.Claim claim(String job, String node) {
        Optional<ChunkQueue.Claim> claim = queue.claim(node, Duration.ofSeconds(30)).await().indefinitely();
        assertTrue(claim.isPresent());
        assertEquals(job, claim.get().jobId().toString());
        return claim.get();
    }

    @Test
    void jobsPastTheirRetentionAndSilentUploadsAreCleanedUp() throws Exception {
        Party ministry = ministry(Map.of("bulkRetentionDays", 7));
        String job = accepted(ministry, NDJSON, line(newKidc(), "r", "{}"));
        JsonNode status = ended(ministry, job);
        assertNotNull(status.path("expiresAt").asText());
        assertEquals(7, java.time.Duration.between(java.time.Instant.parse(status.path("finishedAt").asText()),
                java.time.Instant.parse(status.path("expiresAt").asText())).toDays(), "the contract's retention");
        String silent = UUID.randomUUID().toString();
        sql("INSERT INTO api.bulk_job (id, contract_id, client_id, purpose, format, status, created_at, heartbeat_at) "
                + "VALUES ('" + silent + "', '" + ministry.contractId() + "', 'c', 'p', 'NDJSON', 'RECEIVING', "
                + "now() - interval '1 hour', now() - interval '1 hour')");
        sql("UPDATE api.bulk_job SET expires_at = now() - interval '1 second' WHERE id = '" + job + "'");
        housekeeping.run().await().indefinitely();
        given().auth().oauth2(ministry.token()).get("/v1/bulk-verifications/" + job).then().statusCode(404);
        assertEquals(0, sqlLong("SELECT count(*) FROM api.bulk_line WHERE job_id = '" + job + "'"));
        JsonNode failed = status(ministry, silent);
        assertEquals("FAILED", failed.path("status").asText());
        assertEquals("upload-interrupted", failed.path("reason").asText());
        assertFalse(failed.path("expiresAt").isMissingNode());
    }
}
