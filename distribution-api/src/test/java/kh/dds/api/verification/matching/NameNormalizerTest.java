package kh.dds.api.verification.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class NameNormalizerTest {

    @Test
    void foldsLatinCaseAndWhitespace() {
        assertEquals("sok dara", NameNormalizer.normalize("  SOK \t\n  Dara "));
        assertEquals("sok dara", NameNormalizer.normalize("SOK\u00A0\u00A0DARA"));
        assertEquals("sok dara", NameNormalizer.normalize("SOK\u202FDARA\u2007"));
    }

    @Test
    void foldsCaseIndependentlyOfTheDefaultLocale() {
        // Turkish default locale would lower-case I to dotless ı; the normaliser must not care
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            assertEquals("pich", NameNormalizer.normalize("PICH"));
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }

    @Test
    void removesZeroWidthCharacters() {
        assertEquals("សុខដារ៉ា", NameNormalizer.normalize("សុខ\u200Bដារ៉ា"));
        assertEquals("dara", NameNormalizer.normalize("\uFEFFD\u200Ca\u200Dr\u2060a"));
        assertEquals("សុខ ដារ៉ា", NameNormalizer.normalize("សុខ\u200B \u200Bដារ៉ា"));
    }

    @Test
    void composesDecomposedLatin() {
        String decomposed = "So\u0301vann"; // o + combining acute
        assertEquals(Normalizer.normalize("sóvann", Normalizer.Form.NFC), NameNormalizer.normalize(decomposed));
        assertEquals(NameNormalizer.normalize("SÓVANN"), NameNormalizer.normalize(decomposed));
    }

    @Test
    void reordersKhmerCombiningSignsCanonically() {
        // COENG (ccc 9) and ATTHACAN (ccc 230) typed in non-canonical order
        String canonical = "ក\u17D2\u17DD";
        String reversed = "ក\u17DD\u17D2";
        assertEquals(NameNormalizer.normalize(canonical), NameNormalizer.normalize(reversed));
        String khmer = "ដារ៉ា";
        assertEquals(khmer, NameNormalizer.normalize(Normalizer.normalize(khmer, Normalizer.Form.NFD)));
    }

    @Test
    void zeroWidthRemovalLetsAccentsCompose() {
        assertEquals("é", NameNormalizer.normalize("e\u200B\u0301"));
    }

    @Test
    void nullStaysNull() {
        assertNull(NameNormalizer.normalize(null));
    }

    @Test
    void tellsKhmerScript() {
        assertTrue(NameNormalizer.isKhmer("សុខ"));
        assertTrue(NameNormalizer.isKhmer("Sok សុខ"));
        assertFalse(NameNormalizer.isKhmer("Sok"));
    }
}
