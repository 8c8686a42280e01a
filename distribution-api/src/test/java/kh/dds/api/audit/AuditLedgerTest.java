package kh.dds.api.audit;

import static io.restassured.RestAssured.given;
import static kh.dds.api.ApiTestSupport.activePerson;
import static kh.dds.api.ApiTestSupport.party;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.security.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Base64;
import kh.dds.schema.ledger.Checkpoint;
import kh.dds.schema.ledger.CheckpointKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import kh.dds.api.ApiTestSupport;
import kh.dds.api.ApiTestSupport.Party;
import kh.dds.api.audit.ledger.AuditLedger;
import kh.dds.api.audit.ledger.LaneRecord;
import kh.dds.api.call.LookupIds;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.schema.ledger.Lanes;
import kh.dds.schema.ledger.LedgerVerifier;
import kh.dds.schema.ledger.OfflineVerifier;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import org.junit.jupiter.api.Test;

/**
 * The audit ledger against real Kafka and PostgreSQL: one entry per lookup record, redeliveries and repeats
 * skipped; each tampering of the database detected and located by {@code GET /v1/audit/integrity}, and a rollback
 * by the offline verifier against checkpoints exported before it.
 *
 * <p>Tampering happens on lanes of each test's own (numbers no Kafka partition has), appended through the ledger
 * itself, so that the lanes the API writes meanwhile stay intact; each test removes its lane afterwards.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class AuditLedgerTest {

    private static final Random RANDOM = new Random();

    @Inject
    AuditLedger ledger;

    private static String auditor() {
        return ApiTestSupport.adminToken();
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String sql) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static LookupRecord record(int i) {
        return record(i, Instant.now().minusSeconds(60).plusMillis(i), Product.VERIFY);
    }

    private static LookupRecord record(int i, Instant at, Product product) {
        return new LookupRecord(LookupIds.next(at.toEpochMilli()).toString(), at, UUID.randomUUID().toString(),
                "cl-test", "teller-" + i, "KYC_ACCOUNT_OPENING", product, "1000000028", "ANSWERED", "MATCH",
                List.of(), 200, true, 900 + i);
    }

    /** A partition of the test's own (the topic's real ones are far below): its lanes are the test's alone. */
    private static int partition() {
        return 100 + RANDOM.nextInt(Lanes.MAX_PARTITIONS - 100);
    }

    /** A lane of the test's own with {@code n} entries, checkpointed at its head; returns its number. */
    private int lane(int n) {
        int partition = partition();
        int lane = Lanes.of(partition, Product.VERIFY);
        List<LaneRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new LaneRecord(partition, i, record(i)));
        }
        ledger.append(records).await().atMost(Duration.ofSeconds(30));
        given().auth().oauth2(auditor()).post("/v1/audit/checkpoints").then().statusCode(200);
        return lane;
    }

    private static void drop(int lane) throws Exception {
        sql("DELETE FROM audit.lookup_record WHERE lane = " + lane);
        sql("DELETE FROM audit.checkpoint WHERE lane = " + lane);
        sql("DELETE FROM audit.lane WHERE lane = " + lane);
    }

    private static String lookupAt(int lane, long seq) throws Exception {
        try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT lookup_id FROM audit.lookup_record WHERE lane = " + lane
                     + " AND seq = " + seq)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The integrity report's finding for {@code lane}; fails when the lane was found intact. */
    private static JsonNode findingOf(int lane) {
        JsonNode report = given().auth().oauth2(auditor()).get("/v1/audit/integrity").then().statusCode(200)
                .extract().as(JsonNode.class);
        assertFalse(report.path("intact").asBoolean(), "tampering went unnoticed: " + report);
        for (JsonNode finding : report.path("broken")) {
            if (finding.path("lane").asInt() == lane) {
                return finding;
            }
        }
        throw new AssertionError("no finding on lane " + lane + ": " + report);
    }

    @Test
    void everyAnsweredOrRefusedCallHasExactlyOneEntry() throws Exception {
        Party bank = party(Map.of());
        String kidc = activePerson();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                    .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}").post("/v1/verifications")
                    .then().statusCode(200).extract().header("Lookup-Id"));
        }
        ids.add(given().auth().oauth2(bank.token()).header("X-Operator-Id", "teller-1").contentType(ContentType.JSON)
                .body("{\"kidc\":\"123\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}").post("/v1/verifications")
                .then().statusCode(400).extract().header("Lookup-Id"));
        String contract = "'" + bank.contractId() + "'";
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM audit.lookup_record WHERE contract_id = " + contract) >= 6);
        assertEquals(6, count("SELECT count(*) FROM audit.lookup_record WHERE contract_id = " + contract));
        assertEquals(6, count("SELECT count(DISTINCT lookup_id) FROM audit.lookup_record WHERE contract_id = "
                + contract));
        assertEquals(ApiTestSupport.lookupRecordsOf(bank.contractId()).size(), 6, "as many as the API wrote");

        given().auth().oauth2(auditor()).queryParam("contract", bank.contractId()).queryParam("limit", 4)
                .get("/v1/audit/records").then().statusCode(200)
                .body("items.size()", equalTo(4))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        String csv = given().auth().oauth2(auditor()).queryParam("contract", bank.contractId())
                .get("/v1/audit/records.csv").then().statusCode(200).extract().asString();
        assertEquals(7, csv.strip().split("\n").length, "a header and six records");
        given().auth().oauth2(bank.token()).get("/v1/audit/records").then().statusCode(403);
    }

    @Test
    void aRedeliveredBatchAndARepeatedRecordAreSkipped() throws Exception {
        int partition = partition();
        int lane = Lanes.of(partition, Product.VERIFY);
        try {
            List<LaneRecord> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(new LaneRecord(partition, i, record(i)));
            }
            assertEquals(10, ledger.append(batch).await().atMost(Duration.ofSeconds(30)).chained());
            assertEquals(0, ledger.append(batch).await().atMost(Duration.ofSeconds(30)).chained(),
                    "a redelivery adds nothing");
            LaneRecord sentAgain = new LaneRecord(partition, 10, batch.get(3).record());
            assertEquals(0, ledger.append(List.of(sentAgain)).await().atMost(Duration.ofSeconds(30)).chained(),
                    "a record the ledger holds, at a new offset, adds nothing");
            assertEquals(10, count("SELECT count(*) FROM audit.lookup_record WHERE lane = " + lane));
            assertEquals(10, count("SELECT seq FROM audit.lane WHERE lane = " + lane));
        } finally {
            drop(lane);
        }
    }

    @Test
    void anIntactLedgerVerifies() {
        given().auth().oauth2(auditor()).post("/v1/audit/checkpoints").then().statusCode(200);
        String report = given().auth().oauth2(auditor()).get("/v1/audit/integrity").then().statusCode(200)
                .extract().asString();
        assertTrue(report.contains("\"intact\":true"), report);
    }

    /**
     * A window that starts after a lane's last entry: the lane is not "truncated" because none of its entries falls in
     * the window (an auditor checking the last hour of a quiet product's lane), while the whole ledger is checked the
     * same.
     */
    @Test
    void aWindowAfterALanesLastEntryFindsTheLaneIntact() throws Exception {
        int lane = lane(4);
        try {
            String from = Instant.now().plusSeconds(1).toString();
            JsonNode report = given().auth().oauth2(auditor()).queryParam("from", from).get("/v1/audit/integrity")
                    .then().statusCode(200).extract().as(JsonNode.class);
            assertTrue(report.path("intact").asBoolean(), report.toString());
            // and its last entry deleted: the lane now ends before its head and checkpoint, in the window's check too
            sql("DELETE FROM audit.lookup_record WHERE lane = " + lane + " AND seq = (SELECT max(seq) FROM "
                    + "audit.lookup_record WHERE lane = " + lane + ")");
            JsonNode truncated = given().auth().oauth2(auditor()).queryParam("from", from).get("/v1/audit/integrity")
                    .then().statusCode(200).extract().as(JsonNode.class);
            assertFalse(truncated.path("intact").asBoolean(), truncated.toString());
        } finally {
            drop(lane);
        }
    }

    @Test
    void checkpointsSignedBeforeAKeyRotationStillVerify() throws Exception {
        int lane = lane(5);
        try {
            JsonNode published = given().auth().oauth2(auditor()).get("/v1/audit/public-keys").then().statusCode(200)
                    .extract().as(JsonNode.class);
            assertEquals("ledger-1", published.path(0).path("keyId").asText());
            assertTrue(published.path(0).path("current").asBoolean());
            assertEquals("ledger-0", published.path(1).path("keyId").asText());
            assertFalse(published.path(1).path("current").asBoolean());

            long before = given().auth().oauth2(auditor()).get("/v1/audit/integrity").then().statusCode(200)
                    .extract().as(JsonNode.class).path("checkpointsVerified").asLong();
            // a checkpoint of this lane's third entry, signed by the key that was current before ledger-1
            PrivateKey retired = CheckpointKeys.readPrivate(new String(getClass()
                    .getResourceAsStream("/keys/ledger-retired-signing-key.pem").readAllBytes(),
                    StandardCharsets.US_ASCII));
            String head;
            try (Connection connection = ApiTestSupport.postgres().connect(ApiTestSupport.DATABASE);
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT encode(hash, 'hex') FROM audit.lookup_record "
                         + "WHERE lane = " + lane + " AND seq = 3")) {
                rs.next();
                head = rs.getString(1);
            }
            for (String keyId : List.of("ledger-0", "ledger-9")) {
                Checkpoint signed = CheckpointKeys.sign(new Checkpoint(lane, keyId.equals("ledger-0") ? 3 : 2,
                        keyId.equals("ledger-0") ? head : "00", 3,
                        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), keyId, null), retired);
                sql("INSERT INTO audit.checkpoint (lane, seq, head_hash, records, at, key_id, signature) VALUES ("
                        + lane + ", " + signed.seq() + ", decode('" + signed.headHash() + "', 'hex'), 3, '"
                        + signed.at() + "', '"
                        + keyId + "', decode('" + HexFormat.of().formatHex(Base64.getDecoder()
                        .decode(signed.signature())) + "', 'hex'))");
            }
            JsonNode report = given().auth().oauth2(auditor()).get("/v1/audit/integrity").then().statusCode(200)
                    .extract().as(JsonNode.class);
            assertEquals(before + 1, report.path("checkpointsVerified").asLong(), report.toString());
            assertTrue(report.toString().contains("key id 'ledger-9', which is not published"), report.toString());
        } finally {
            drop(lane);
        }
    }

    @Test
    void anEditedFieldIsLocated() throws Exception {
        int lane = lane(20);
        try {
            String edited = lookupAt(lane, 7);
            sql("UPDATE audit.lookup_record SET purpose = 'MARKETING' WHERE lookup_id = '" + edited + "'");
            JsonNode finding = findingOf(lane);
            assertEquals(7, finding.path("seq").asLong());
            assertEquals(edited, finding.path("lookupId").asText());
            assertTrue(finding.path("problem").asText().contains("edited"));
        } finally {
            drop(lane);
        }
    }

    @Test
    void aDeletedRecordIsLocated() throws Exception {
        int lane = lane(20);
        try {
            sql("DELETE FROM audit.lookup_record WHERE lane = " + lane + " AND seq = 9");
            JsonNode finding = findingOf(lane);
            assertEquals(10, finding.path("seq").asLong());
            assertTrue(finding.path("problem").asText().contains("deleted"));
        } finally {
            drop(lane);
        }
    }

    @Test
    void twoReorderedRecordsAreLocated() throws Exception {
        int lane = lane(20);
        try {
            sql("UPDATE audit.lookup_record SET seq = CASE seq WHEN 5 THEN 6 ELSE 5 END WHERE lane = " + lane
                    + " AND seq IN (5, 6)");
            assertEquals(5, findingOf(lane).path("seq").asLong());
        } finally {
            drop(lane);
        }
    }

    @Test
    void aForgedRecordInsertedIsLocated() throws Exception {
        int lane = lane(20);
        try {
            String forged = LookupIds.next(Instant.now().toEpochMilli()).toString();
            sql("INSERT INTO audit.lookup_record SELECT now(), '" + forged + "', lane, seq, contract_id, client_id,"
                    + " 'intruder', purpose, product, '2000000002', outcome, decision, fields_disclosed, http_status,"
                    + " billable, latency_micros, prev_hash, hash FROM audit.lookup_record WHERE lane = " + lane
                    + " AND seq = 12");
            JsonNode finding = findingOf(lane);
            assertEquals(12, finding.path("seq").asLong());
            assertEquals(forged, finding.path("lookupId").asText());
        } finally {
            drop(lane);
        }
    }

    @Test
    void aTruncatedTailIsDetected() throws Exception {
        int lane = lane(20);
        try {
            sql("DELETE FROM audit.lookup_record WHERE lane = " + lane + " AND seq > 16");
            JsonNode finding = findingOf(lane);
            assertEquals(20, finding.path("seq").asLong());
            assertTrue(finding.path("problem").asText().contains("truncated"));
        } finally {
            drop(lane);
        }
    }

    @Test
    void aRollbackIsDetectedAgainstTheExportedCheckpoint(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int lane = lane(20);
        try {
            // an outside party keeps the checkpoints and the public key
            Path checkpoints = dir.resolve("checkpoints.ndjson");
            Files.writeString(checkpoints, given().auth().oauth2(auditor()).get("/v1/audit/checkpoints")
                    .then().statusCode(200).extract().asString());
            Path key = dir.resolve("ledger-public.pem");
            Files.writeString(key, given().auth().oauth2(auditor()).get("/v1/audit/public-key")
                    .then().statusCode(200).extract().asString());

            // the database goes back to an older state: the last entries, the head and the checkpoint are gone
            sql("DELETE FROM audit.lookup_record WHERE lane = " + lane + " AND seq > 14");
            sql("UPDATE audit.lane SET seq = 14, head_hash = (SELECT hash FROM audit.lookup_record WHERE lane = "
                    + lane + " AND seq = 14) WHERE lane = " + lane);
            sql("DELETE FROM audit.checkpoint WHERE lane = " + lane);
            Set<Integer> brokenLanes = new HashSet<>();
            given().auth().oauth2(auditor()).get("/v1/audit/integrity").then().statusCode(200).extract()
                    .as(JsonNode.class).path("broken").forEach(f -> brokenLanes.add(f.path("lane").asInt()));
            assertFalse(brokenLanes.contains(lane), "consistent in itself, the rolled-back database cannot tell");

            Path export = dir.resolve("ledger.ndjson");
            Files.writeString(export, given().auth().oauth2(auditor()).get("/v1/audit/export").then()
                    .statusCode(200).extract().asString());
            LedgerVerifier.Report report = OfflineVerifier.verify(export, checkpoints, key, true);
            assertFalse(report.intact());
            LedgerVerifier.Finding finding = report.broken().stream().filter(f -> f.lane() == lane).findFirst()
                    .orElseThrow();
            assertEquals(20, finding.seq());
            assertTrue(finding.problem().contains("rolled back"));
        } finally {
            drop(lane);
        }
    }

    @Test
    void theOfflineVerifierAgreesWithTheServiceOnAnIntactExport(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        int lane = lane(30);
        try {
            Path checkpoints = dir.resolve("checkpoints.ndjson");
            Files.writeString(checkpoints, given().auth().oauth2(auditor()).get("/v1/audit/checkpoints")
                    .then().statusCode(200).extract().asString());
            Path key = dir.resolve("ledger-public.pem");
            Files.writeString(key, given().auth().oauth2(auditor()).get("/v1/audit/public-key").asString());
            Path export = dir.resolve("ledger.ndjson");
            Files.writeString(export, given().auth().oauth2(auditor()).get("/v1/audit/export").asString());
            LedgerVerifier.Report report = OfflineVerifier.verify(export, checkpoints, key, false);
            assertTrue(report.broken().stream().noneMatch(f -> f.lane() == lane), OfflineVerifier.describe(report));
            assertTrue(report.refused().isEmpty(), OfflineVerifier.describe(report));
        } finally {
            drop(lane);
        }
    }

    @Test
    void aPersonsAccessLogHidesAConfidentialContractUntilItsDate() throws Exception {
        Party bank = party(Map.of());
        Party police = party(Map.of("kind", "OTHER", "confidentialUntil", "2099-12-31"));
        String kidc = activePerson();
        for (Party party : List.of(bank, police)) {
            given().auth().oauth2(party.token()).header("X-Operator-Id", "officer-1").contentType(ContentType.JSON)
                    .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}").post("/v1/verifications")
                    .then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM audit.lookup_record WHERE subject_kidc = '" + kidc + "'") == 2);
        JsonNode log = given().auth().oauth2(auditor()).get("/v1/audit/subjects/" + kidc).then().statusCode(200)
                .extract().as(JsonNode.class);
        assertEquals(1, log.path("items").size(), "the confidential contract's lookup stays out: " + log);
        assertTrue(log.path("items").get(0).path("organisation").asText().startsWith("Test Bank"));
        assertTrue(log.path("items").get(0).path("clientId").isMissingNode(), "no relying party's internals");
        given().auth().oauth2(auditor()).queryParam("subject", kidc).get("/v1/audit/records").then().statusCode(200)
                .body("items.size()", equalTo(2));
    }

    @Test
    void anExpiredMonthIsArchivedRemovedAndTheLedgerStillVerifies(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        int partition = partition();
        int lane = Lanes.of(partition, Product.NOTIFY);
        int kept = Lanes.of(partition, Product.VERIFY);
        Instant march = Instant.parse("2005-03-10T03:00:00Z");
        Instant april = Instant.parse("2005-04-10T03:00:00Z");
        List<LaneRecord> batch = new ArrayList<>();
        // NOTIFY (kept a year in this profile): 20 of March 2005, 5 of April, 10 more of March arriving late, 10 of now
        for (int i = 0; i < 45; i++) {
            Instant at = i < 20 ? march.plusSeconds(i) : i < 25 ? april.plusSeconds(i) : i < 35 ? march.plusSeconds(i)
                    : Instant.now().minusSeconds(60).plusMillis(i);
            batch.add(new LaneRecord(partition, i, record(i, at, Product.NOTIFY)));
        }
        // VERIFY has no retention: its March 2005 stays
        for (int i = 0; i < 5; i++) {
            batch.add(new LaneRecord(partition, 45 + i, record(i, march.plusSeconds(i), Product.VERIFY)));
        }
        try {
            ledger.append(batch).await().atMost(Duration.ofSeconds(30));
            given().auth().oauth2(auditor()).post("/v1/audit/checkpoints").then().statusCode(200);
            given().auth().oauth2(party(Map.of()).token()).post("/v1/admin/ledger/retention").then().statusCode(403);

            JsonNode removals = given().auth().oauth2(ApiTestSupport.adminToken()).post("/v1/admin/ledger/retention")
                    .then().statusCode(200).extract().as(JsonNode.class);
            assertEquals(2, removals.size(), removals.toString());
            JsonNode marchRemoval = removals.get(0).path("removal");
            assertEquals("2005-03", marchRemoval.path("month").asText());
            assertEquals(30, marchRemoval.path("records").asInt());
            assertEquals("[[1,20],[26,35]]", runsOf(marchRemoval, lane), "one run each side of April's");
            assertEquals("2005-04", removals.get(1).path("removal").path("month").asText());
            assertEquals("[[21,25]]", runsOf(removals.get(1).path("removal"), lane));
            assertEquals(0, given().auth().oauth2(ApiTestSupport.adminToken()).post("/v1/admin/ledger/retention")
                    .then().statusCode(200).extract().as(JsonNode.class).size(), "a second run removes nothing");

            assertEquals(10, count("SELECT count(*) FROM audit.lookup_record WHERE lane = " + lane));
            assertEquals(36, count("SELECT min(seq) FROM audit.lookup_record WHERE lane = " + lane));
            assertEquals(5, count("SELECT count(*) FROM audit.lookup_record WHERE lane = " + kept));
            assertEquals(0, count("SELECT count(*) FROM pg_class WHERE relname = 'lookup_record_y2005m03_notify'"),
                    "the month's partition of the product is dropped whole");

            JsonNode report = given().auth().oauth2(auditor()).get("/v1/audit/integrity").then().statusCode(200)
                    .extract().as(JsonNode.class);
            assertTrue(report.path("intact").asBoolean(), report.toString());
            assertEquals(2, report.path("removals").asInt(), report.toString());

            // an outside party: the export, the checkpoints, the removals and the key; then the archive itself
            Path checkpoints = dir.resolve("checkpoints.ndjson");
            Files.writeString(checkpoints, given().auth().oauth2(auditor()).get("/v1/audit/checkpoints").asString());
            Path removalFile = dir.resolve("removals.ndjson");
            Files.writeString(removalFile, given().auth().oauth2(auditor()).get("/v1/audit/removals").then()
                    .statusCode(200).extract().asString());
            Path key = dir.resolve("ledger-public.pem");
            Files.writeString(key, given().auth().oauth2(auditor()).get("/v1/audit/public-key").asString());
            Path export = dir.resolve("ledger.ndjson");
            Files.writeString(export, given().auth().oauth2(auditor()).get("/v1/audit/export").asString());
            java.security.PublicKey published = CheckpointKeys.readPublic(Files.readString(key));
            LedgerVerifier.Report offline = OfflineVerifier.verify(export, checkpoints, removalFile,
                    id -> published, true);
            assertTrue(offline.broken().stream().noneMatch(f -> f.lane() == lane || f.lane() == Lanes.RETENTION),
                    OfflineVerifier.describe(offline));
            assertEquals(2, offline.removals());
            LedgerVerifier.Report withoutRemovals = OfflineVerifier.verify(export, checkpoints, null,
                    id -> published, true);
            assertTrue(withoutRemovals.broken().stream().anyMatch(f -> f.lane() == lane && f.seq() == 36),
                    "without the removals the gap is a deletion: " + OfflineVerifier.describe(withoutRemovals));
            Path archive = Path.of("target/ledger-archive").resolve(marchRemoval.path("archive").asText());
            assertEquals(List.of(), OfflineVerifier.verifyArchive(archive, removalFile, checkpoints, id -> published));

            // a deletion passed off as part of a removal: the removal no longer gives its hash
            sql("UPDATE audit.removal SET records = records + 1, run_lane = run_lane || " + lane + "::smallint,"
                    + " run_from = run_from || 40::bigint, run_to = run_to || 40::bigint,"
                    + " run_prev_hash = run_prev_hash || (SELECT prev_hash FROM audit.lookup_record WHERE lane = " + lane
                    + " AND seq = 40), run_last_hash = run_last_hash || (SELECT hash FROM audit.lookup_record"
                    + " WHERE lane = " + lane + " AND seq = 40) WHERE month = '2005-04-01'");
            sql("DELETE FROM audit.lookup_record WHERE lane = " + lane + " AND seq = 40");
            JsonNode retentionFinding = findingOf(Lanes.RETENTION);
            assertTrue(retentionFinding.path("problem").asText().contains("edited"), retentionFinding.toString());
            assertEquals(36, findingOf(lane).path("seq").asLong(), "April's runs stand for nothing now");
        } finally {
            drop(lane);
            drop(kept);
            sql("DELETE FROM audit.removal");
            drop(Lanes.RETENTION);
        }
    }

    /** The runs a removal names in {@code lane}, as {@code [[from,to],…]}. */
    private static String runsOf(JsonNode removal, int lane) {
        List<String> runs = new ArrayList<>();
        for (JsonNode run : removal.path("runs")) {
            if (run.path("lane").asInt() == lane) {
                runs.add("[" + run.path("seqFrom").asLong() + "," + run.path("seqTo").asLong() + "]");
            }
        }
        return runs.toString().replace(" ", "");
    }
}
