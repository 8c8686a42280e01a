package kh.dds.simulator.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import kh.dds.schema.kidc.Kidc;
import kh.dds.simulator.population.Population;
import org.junit.jupiter.api.Test;

/** The bulk roll: one row a claim under the header, the expected mix, and each bad line bad in its own way. */
class BulkCsvTest {

    private final Population population = new Population(7, 5_000, Population.DEFAULT_REFERENCE_DATE);
    private final BulkCsv roll = new BulkCsv(new VerificationClaims(population, ClaimMix.parse("70,15,15"),
            "BENEFIT_ELIGIBILITY"), 7, 30);

    @Test
    void aRollHasTheClaimsMixAndItsBadLinesAreEachBadInTheirOwnWay() {
        Map<BulkCsv.RowKind, Integer> kinds = new EnumMap<>(BulkCsv.RowKind.class);
        for (long n = 0; n < 10_000; n++) {
            BulkCsv.Row row = roll.row(n);
            kinds.merge(row.kind(), 1, Integer::sum);
            String[] cells = row.line().split(",", -1);
            assertEquals(8, cells.length, row.line());
            assertEquals("roll-" + (n + 1), cells[1]);
            switch (row.kind()) {
                case BAD_CHECK_DIGIT -> assertEquals("check digit does not match", Kidc.problemWith(cells[0]));
                case BAD_DATE -> assertTrue(cells[4].endsWith("-13-45"), row.line());
                case UNKNOWN_KIDC -> assertNull(Kidc.problemWith(cells[0]), row.line());
                default -> {
                    assertNull(Kidc.problemWith(cells[0]), row.line());
                    assertTrue(cells[2].length() > 0 && cells[3].length() > 0 && cells[4].length() >= 4, row.line());
                }
            }
        }
        int bad = kinds.getOrDefault(BulkCsv.RowKind.BAD_CHECK_DIGIT, 0)
                + kinds.getOrDefault(BulkCsv.RowKind.BAD_DATE, 0) + kinds.getOrDefault(BulkCsv.RowKind.UNKNOWN_KIDC, 0);
        assertTrue(bad > 200 && bad < 400, "about 3% bad: " + kinds);
        assertTrue(kinds.get(BulkCsv.RowKind.MATCH) > 6_000, kinds.toString());
        assertNotNull(kinds.get(BulkCsv.RowKind.PARTIAL));
        assertNotNull(kinds.get(BulkCsv.RowKind.MISMATCH));
        // the same seed gives the same roll
        assertEquals(roll.row(1234), roll.row(1234));
    }

    @Test
    void cellsThatNeedQuotesGetThem() {
        assertEquals("plain", BulkCsv.quoted("plain"));
        assertEquals("\"a,b\"", BulkCsv.quoted("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", BulkCsv.quoted("say \"hi\""));
    }
}
