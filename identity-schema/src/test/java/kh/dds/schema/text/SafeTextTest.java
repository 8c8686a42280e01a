package kh.dds.schema.text;

import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    /** Any UTF-16 text, lone surrogates and control characters included, up to a few thousand characters. */
    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(3000),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f', '\ud800', '\udfff', 'a', '\\')
                        .ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u1780', '\u17ff').withChars(' ', '\u200b').ofMaxLength(400));
    }

    @Property
    void whatComesOutIsAlwaysStorable(@ForAll("hostile") String value, @ForAll @IntRange(min = 10, max = 300) int max) {
        String safe = SafeText.of(value, max);
        assertNull(SafeText.problemWith(safe, Integer.MAX_VALUE), "no control character or lone surrogate");
        assertTrue(safe.length() <= max + SafeText.DIGEST_LENGTH, "bounded");
        assertTrue(SafeText.isSafe(safe, max));
        // valid UTF-8 both ways: what PostgreSQL and Kafka store is what was hashed
        assertEquals(safe, new String(safe.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertEquals(safe, SafeText.of(safe, max), "idempotent");
    }

    @Property
    void aSafeValueIsKeptAsItIs(@ForAll("hostile") String value) {
        if (SafeText.problemWith(value, Integer.MAX_VALUE) == null && value.length() <= 200) {
            assertSame(value, SafeText.of(value, 200));
        }
    }

    @Test
    void anAlteredValueKeepsWhatItCanAndNamesTheOriginalByItsDigest() {
        String nul = SafeText.of("KYC\u0000", 128);
        assertTrue(nul.startsWith("KYC\\u0000" + SafeText.DIGEST_MARK), nul);
        assertEquals(
                "KYC\\u0000…sha256:" + java.util.HexFormat.of().formatHex(sha256("KYC\u0000")), nul);
        assertNotEquals(SafeText.of("KYC\u0001", 128), nul, "two originals, two stored values");
        String huge = SafeText.of("9".repeat(3_000), 64);
        assertEquals("9".repeat(64) + SafeText.DIGEST_MARK, huge.substring(0, 64 + SafeText.DIGEST_MARK.length()));
        assertNotEquals(SafeText.of("9".repeat(3_001), 64), huge, "cut alike, told apart by the digest");
    }

    @Test
    void aSurrogatePairIsNeverCutInHalf() {
        String pairs = "😀".repeat(10);
        String safe = SafeText.of(pairs, 5);
        assertNull(SafeText.problemWith(safe, Integer.MAX_VALUE));
        assertTrue(safe.startsWith("😀😀" + SafeText.DIGEST_MARK), safe);
    }

    @Test
    void aRecordIsMadeStorableFieldByField() {
        LookupRecord sent = new LookupRecord("018f0000-0000-7000-8000-000000000000",
                Instant.parse("2026-12-05T10:00:00.123456789Z"), "0f8f0000-0000-4000-8000-000000000000", "cl-1",
                "op\u0000", "\u0000", Product.LOOKUP, "1".repeat(3000), "REFUSED", "invalid-request", List.of(),
                400, false, 10);
        LookupRecord stored = sent.storable();
        assertEquals(Instant.parse("2026-12-05T10:00:00.123456Z"), stored.occurredAt());
        assertTrue(stored.purpose().startsWith("\\u0000" + SafeText.DIGEST_MARK));
        assertTrue(stored.operatorId().startsWith("op\\u0000" + SafeText.DIGEST_MARK));
        assertTrue(stored.subjectKidc().length() <= LookupRecord.MAX_SUBJECT + SafeText.DIGEST_LENGTH);
        assertSame(stored, stored.storable());
    }

    private static byte[] sha256(String value) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
