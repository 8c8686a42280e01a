package kh.dds.schema.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import org.junit.jupiter.api.Test;

/** The optional detail of a lookup record (a bulk line's job and line, a statistics query's parameters). */
class LedgerHashDetailTest {

    private static final LookupRecord INTERACTIVE = new LookupRecord("018f0000-0000-7000-8000-000000000001",
            Instant.parse("2026-12-05T01:02:03.123456Z"), "018f0000-0000-7000-8000-0000000000aa", "client-1",
            "teller-1", "KYC", Product.VERIFY, "1000000028", "ANSWERED", "MATCH", List.of(), 200, true, 812);

    @Test
    void aRecordWithoutDetailHashesAsTheFourteenFieldChainAlwaysDid() throws Exception {
        // the v1 definition, written out here by hand: what records stored before the detail existed were hashed by
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update("dds-ledger-v1\0".getBytes(StandardCharsets.US_ASCII));
        digest.update(ByteBuffer.allocate(12).putInt(1003).putLong(7).array());
        for (String field : Arrays.asList(INTERACTIVE.lookupId(), "2026-12-05T01:02:03.123456Z",
                INTERACTIVE.contractId(), "client-1", "teller-1", "KYC", "VERIFY", "1000000028", "ANSWERED", "MATCH",
                "", "200", "true", "812")) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            digest.update(bytes);
        }
        digest.update(LedgerHash.GENESIS);
        assertArrayEquals(digest.digest(), LedgerHash.of(1003, 7, INTERACTIVE, LedgerHash.GENESIS));
    }

    @Test
    void theDetailIsChained() {
        byte[] plain = LedgerHash.of(1003, 7, INTERACTIVE, LedgerHash.GENESIS);
        LookupRecord line = INTERACTIVE.withDetail("job=018f0000-0000-7000-8000-0000000000bb&line=12");
        byte[] withDetail = LedgerHash.of(1003, 7, line, LedgerHash.GENESIS);
        assertFalse(Arrays.equals(plain, withDetail));
        assertFalse(Arrays.equals(withDetail, LedgerHash.of(1003, 7,
                INTERACTIVE.withDetail("job=018f0000-0000-7000-8000-0000000000bb&line=13"), LedgerHash.GENESIS)));
        // an empty detail is a detail: not the same record as none
        assertFalse(Arrays.equals(plain, LedgerHash.of(1003, 7, INTERACTIVE.withDetail(""), LedgerHash.GENESIS)));
    }

    @Test
    void theDetailTravelsThroughTheTopicAndTheExportAndIsBounded() throws Exception {
        LookupRecord line = INTERACTIVE.withDetail("job=018f0000-0000-7000-8000-0000000000bb&line=12");
        assertEquals(line, LedgerExport.lookupRecord(LedgerExport.JSON.writeValueAsBytes(line)));
        assertNull(LedgerExport.lookupRecord(LedgerExport.JSON.writeValueAsBytes(INTERACTIVE)).detail());
        LedgerEntry entry = new LedgerEntry(1003, 7, line, LedgerHash.GENESIS,
                LedgerHash.of(1003, 7, line, LedgerHash.GENESIS));
        assertEquals(line, LedgerExport.entry(LedgerExport.line(entry)).record());
        String hostile = "a\u0000" + "x".repeat(10_000);
        String stored = INTERACTIVE.withDetail(hostile).storable().detail();
        assertFalse(stored.contains("\u0000"));
        assertEquals(stored, INTERACTIVE.withDetail(stored).storable().detail());
        assertFalse(stored.length() > LookupRecord.MAX_DETAIL + 80, "bounded: " + stored.length());
    }
}
