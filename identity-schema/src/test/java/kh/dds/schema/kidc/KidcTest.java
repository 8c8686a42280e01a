package kh.dds.schema.kidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class KidcTest {

    @Test
    void specExamples() {
        assertEquals(10, Kidc.checkDigit("123456789"));
        assertEquals(10, Kidc.checkDigit("100000001"));
        assertEquals(8, Kidc.checkDigit("100000002"));
        assertTrue(Kidc.isValid("1000000028"));
        assertNull(Kidc.fromPrefix("123456789"));
        assertEquals("1000000028", Kidc.fromPrefix("100000002").value());
    }

    @Test
    void rejectsWithReasons() {
        assertEquals("missing", Kidc.problemWith(null));
        assertTrue(Kidc.problemWith("100000002").contains("10 digits"));
        assertTrue(Kidc.problemWith("10000000２8").contains("digits"));
        assertTrue(Kidc.problemWith("3000000028").contains("first digit"));
        assertTrue(Kidc.problemWith("1000000029").contains("check digit"));
        assertTrue(Kidc.problemWith("1234567890").contains("never issued"));
        assertThrows(InvalidKidcException.class, () -> Kidc.parse(" 1000000028"));
    }

    @Property
    void everyValidCodeSurvivesAnySingleDigitChange(@ForAll("issued") String code, @ForAll @IntRange(max = 9) int position,
                                                    @ForAll @IntRange(min = 1, max = 9) int delta) {
        char[] digits = code.toCharArray();
        digits[position] = (char) ('0' + (digits[position] - '0' + delta) % 10);
        // modulus 11 with distinct weights detects every single-digit error
        assertFalse(Kidc.isValid(new String(digits)));
    }

    @Property
    void adjacentTranspositionsAreDetected(@ForAll("issued") String code, @ForAll @IntRange(max = 8) int position) {
        char[] digits = code.toCharArray();
        if (digits[position] == digits[position + 1]) {
            return;
        }
        char swap = digits[position];
        digits[position] = digits[position + 1];
        digits[position + 1] = swap;
        assertFalse(Kidc.isValid(new String(digits)));
    }

    @Property
    void validityAgreesWithTheDefinition(@ForAll("tenDigits") String code) {
        int sum = 0;
        int[] weights = {10, 9, 8, 7, 6, 5, 4, 3, 2};
        for (int i = 0; i < 9; i++) {
            sum += (code.charAt(i) - '0') * weights[i];
        }
        int check = (11 - sum % 11) % 11;
        boolean expected = (code.charAt(0) == '1' || code.charAt(0) == '2') && check != 10
                && check == code.charAt(9) - '0';
        assertEquals(expected, Kidc.isValid(code));
    }

    @Property
    void randomCodesAreValidAndOfTheirKind(@ForAll long seed, @ForAll KidcKind kind) {
        Kidc kidc = Kidc.random(new Random(seed), kind);
        assertTrue(Kidc.isValid(kidc.value()));
        assertEquals(kind, kidc.kind());
    }

    @Property(tries = 50)
    void allocatorIsAnInjection(@ForAll long seed, @ForAll @LongRange(max = KidcAllocator.CAPACITY - 20_000) long start) {
        KidcAllocator allocator = new KidcAllocator(seed);
        Set<String> seen = new HashSet<>();
        for (long i = start; i < start + 20_000; i++) {
            Kidc kidc = allocator.kidcAt(i, KidcKind.CITIZEN);
            assertTrue(seen.add(kidc.value()), () -> "duplicate " + kidc);
        }
    }

    @Test
    void allocatorIsDeterministicAndSeedDependent() {
        assertEquals(new KidcAllocator(42).kidcAt(7, KidcKind.CITIZEN), new KidcAllocator(42).kidcAt(7, KidcKind.CITIZEN));
        assertNotEquals(new KidcAllocator(42).kidcAt(7, KidcKind.CITIZEN), new KidcAllocator(43).kidcAt(7, KidcKind.CITIZEN));
        assertEquals(KidcKind.FOREIGN_RESIDENT, new KidcAllocator(1).kidcAt(0, KidcKind.FOREIGN_RESIDENT).kind());
    }

    @Test
    void allocatorGivesTwoMillionPersonsDistinctCodes() {
        KidcAllocator allocator = new KidcAllocator(7);
        java.util.BitSet seen = new java.util.BitSet(100_000_000);
        for (long i = 0; i < 2_000_000; i++) {
            String value = allocator.kidcAt(i, KidcKind.CITIZEN).value();
            int digitsTwoToNine = Integer.parseInt(value.substring(1, 9));
            assertFalse(seen.get(digitsTwoToNine), () -> "collision at " + value);
            seen.set(digitsTwoToNine);
        }
    }

    @Provide
    Arbitrary<String> issued() {
        return Arbitraries.longs().map(seed -> Kidc.random(new Random(seed), KidcKind.CITIZEN).value());
    }

    @Provide
    Arbitrary<String> tenDigits() {
        return Arbitraries.strings().numeric().ofLength(10);
    }
}
