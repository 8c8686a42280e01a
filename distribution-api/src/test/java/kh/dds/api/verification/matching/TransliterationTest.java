package kh.dds.api.verification.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransliterationTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource({
            "Sovann, Sovan",
            "Sopheap, Sophiep",
            "Chea, Chia",
            "Chea, Cheah",
            "Bopha, Bupha",
            "Sreymom, Srey Mom",
            "Sreymom, Srey-Mom",
            "Srey, Srei",
            "Kosal, Khosal",
            "Chantha, Chanta",
            "Channa, Jana",
            "Sokun, Sokhoun",
            "Phalla, Pala",
            "Sóvann, Sovann",
            "Sophal, Sophol",
            "Vannak, Vannaak",
    })
    void closeRomanisations(String a, String b) {
        assertTrue(Transliteration.isClose(a, b), a + " ~ " + b);
        assertTrue(Transliteration.isClose(b, a), b + " ~ " + a);
    }

    @ParameterizedTest(name = "{0} !~ {1}")
    @CsvSource({
            "Dara, Sophea",
            "Dara, Tara",
            "Sopheak, Sopheap",
            "Pich, Petch",
            "Sokha, Sokhom",
            "Vanna, Vanny",
            "Rithy, Ratha",
            "Bopha, Sopha",
            "Sovann, Sovath",
            "Dara, ---",
    })
    void differentNames(String a, String b) {
        assertFalse(Transliteration.isClose(a, b), a + " !~ " + b);
        assertFalse(Transliteration.isClose(b, a), b + " !~ " + a);
    }

    @ParameterizedTest
    @CsvSource({
            "Sopheap, sopiap",
            "Sreymom, sreimom",
            "Chea, cia",
            "Khemara, kemara",
            "Sovann, sovan",
            "Bouphal, bopal",
            "Jorani, corani",
    })
    void phoneticKeys(String name, String key) {
        assertEquals(key, Transliteration.key(name));
    }

    @ParameterizedTest
    @CsvSource({"abc, abc, 0", "abc, acb, 1", "abc, ab, 1", "abc, xbc, 1", "abcd, badc, 2", "'', abc, 3"})
    void damerauLevenshtein(String a, String b, int distance) {
        assertEquals(distance, Transliteration.damerauLevenshtein(a, b));
    }
}
