package kh.dds.api.verification.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.Period;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import kh.dds.schema.event.PartialDate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MatchingPropertiesTest {

    private static final char[] ZERO_WIDTH = {'\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'};
    private static final String[] SPACES = {" ", "  ", "\t", "\n", "\u00A0", "\u2007", "\u202F", " \u00A0 "};

    // ---- normalisation ----------------------------------------------------------------------------------------

    @Property
    void normalisationIsIdempotent(@ForAll("anyText") String text) {
        String once = NameNormalizer.normalize(text);
        assertEquals(once, NameNormalizer.normalize(once));
    }

    @Property
    void normalisationIsIdempotentOnNames(@ForAll("names") String name) {
        String once = NameNormalizer.normalize(name);
        assertEquals(once, NameNormalizer.normalize(once));
    }

    @Property
    void nameMatchesItselfThroughZeroWidthWhitespaceAndCaseChanges(@ForAll("names") String name,
                                                                    @ForAll long seed) {
        String disguised = disguise(name, new Random(seed));
        String field = NameNormalizer.isKhmer(name) ? "givenNameKh" : "givenNameLatin";
        ObjectNode record = Registry.sokDara();
        record.put(field, name);
        assertEquals(ClaimResult.MATCH, ClaimMatcher.matchName(disguised, record, "givenName"),
                () -> "claim <" + disguised + "> for <" + name + ">");
    }

    @Property
    void exactMatchIsSymmetric(@ForAll("names") String a, @ForAll("names") String b) {
        assertEquals(matchesLatin(a, b), matchesLatin(b, a));
        assertEquals(matchesLatin(a, a), true);
    }

    private static boolean matchesLatin(String claim, String registered) {
        ObjectNode record = Registry.withNames(null, null, "SOK", registered);
        return ClaimMatcher.matchName(claim, record, "givenName") == ClaimResult.MATCH;
    }

    // ---- transliteration --------------------------------------------------------------------------------------

    @Property(tries = 2000)
    void partialNeverSpansMoreThanOneEditBetweenKeys(@ForAll("latinNames") String a,
                                                     @ForAll("latinVariants") String b) {
        if (Transliteration.isClose(a, b)) {
            assertTrue(Transliteration.damerauLevenshtein(Transliteration.key(a), Transliteration.key(b)) <= 1,
                    a + " ~ " + b);
        }
    }

    @Property
    void variantsOfOneNameAreRelatedBothWays(@ForAll("variantPairs") List<String> pair) {
        assertEquals(Transliteration.isClose(pair.get(0), pair.get(1)),
                Transliteration.isClose(pair.get(1), pair.get(0)));
    }

    @Property
    void romanisationVariantsAreClose(@ForAll("variantPairs") List<String> pair) {
        String a = pair.get(0);
        String b = pair.get(1);
        boolean exact = NameNormalizer.normalize(a).equals(NameNormalizer.normalize(b));
        assertTrue(exact || Transliteration.isClose(a, b), a + " ~ " + b);
    }

    // ---- decision ---------------------------------------------------------------------------------------------

    @Property
    void anyNoMatchClaimDecidesNoMatch(@ForAll("claimResults") ClaimResults results,
                                       @ForAll KidcStatus status) {
        Decision decision = IdentityMatcher.decide(status, results);
        if (results.made().anyMatch(r -> r == ClaimResult.NO_MATCH) || status != KidcStatus.ACTIVE) {
            assertEquals(Decision.NO_MATCH, decision);
        } else if (results.made().allMatch(r -> r == ClaimResult.MATCH)) {
            assertEquals(Decision.MATCH, decision);
        } else {
            assertEquals(Decision.PARTIAL_MATCH, decision);
        }
    }

    // ---- age --------------------------------------------------------------------------------------------------

    @Property(tries = 2000)
    void ageAtLeastNeverSaysYesForSomeoneWhoCouldBeYounger(@ForAll("birthDates") PartialDate birth,
                                                           @ForAll("days") LocalDate today,
                                                           @ForAll @IntRange(min = 0, max = 120) int years) {
        ConditionResult answer = ConditionEvaluator.ageAtLeast(years, Registry.withDateOfBirth(birth.toString()),
                today);
        if (answer == ConditionResult.TRUE) {
            for (LocalDate day = birth.earliest(); !day.isAfter(birth.latest()); day = day.plusDays(1)) {
                assertTrue(!day.isAfter(today) && Period.between(day, today).getYears() >= years,
                        "born " + day + " is younger than " + years + " on " + today);
            }
        } else {
            assertEquals(ConditionResult.FALSE, answer);
            LocalDate latest = birth.latest();
            assertTrue(latest.isAfter(today) || Period.between(latest, today).getYears() < years);
        }
    }

    // ---- generators -------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withChars(" \u00A0\u200B\u200C\u200D\u2060\uFEFF\u0301\u0300\u17D2\u17DD"
                        + "aeEßİıASOKសុខដារ៉ា\u01C5\u1E9E").ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> latinWord = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéàôç")
                .ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> khmerWord = Arbitraries.strings().withCharRange('\u1780', '\u17B3')
                .ofMinLength(1).ofMaxLength(6)
                .map(s -> s + "\u17B6"); // with a dependent vowel sign
        Arbitrary<String> latin = latinWord.list().ofMinSize(1).ofMaxSize(3).map(w -> String.join(" ", w));
        Arbitrary<String> khmer = khmerWord.list().ofMinSize(1).ofMaxSize(3).map(w -> String.join(" ", w));
        return Arbitraries.oneOf(latin, khmer);
    }

    /** Zero-width characters anywhere, other whitespace between words and around, random case. */
    private static String disguise(String name, Random random) {
        StringBuilder out = new StringBuilder();
        out.append(SPACES[random.nextInt(SPACES.length)].repeat(random.nextInt(2)));
        for (int i = 0; i < name.length(); i++) {
            if (random.nextInt(3) == 0) {
                out.append(ZERO_WIDTH[random.nextInt(ZERO_WIDTH.length)]);
            }
            char c = name.charAt(i);
            if (c == ' ') {
                out.append(SPACES[random.nextInt(SPACES.length)]);
            } else {
                String s = String.valueOf(c);
                out.append(random.nextBoolean() ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT));
            }
        }
        out.append(SPACES[random.nextInt(SPACES.length)].repeat(random.nextInt(2)));
        return out.toString();
    }

    private static final List<String> SYLLABLES = List.of("so", "sou", "su", "kh", "k", "chea", "chia", "cha", "ja",
            "phe", "pe", "ap", "th", "t", "y", "i", "vann", "van", "da", "ra", "mom", "srey", "srei", "bo", "bu",
            "pha", "pa", "nak", "rith", "ritt", "ny", "ni", "h", "-", " ", "ea", "ie", "ia", "ou", "o", "u");

    @Provide
    Arbitrary<String> latinNames() {
        return Arbitraries.of(SYLLABLES).list().ofMinSize(1).ofMaxSize(5).map(s -> String.join("", s))
                .filter(s -> !Transliteration.key(s).isEmpty());
    }

    @Provide
    Arbitrary<String> latinVariants() {
        return Arbitraries.oneOf(latinNames(),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10));
    }

    /** Two spellings of one name, built from syllables each replaced by one of its common romanisations. */
    @Provide
    Arbitrary<List<String>> variantPairs() {
        List<List<String>> groups = List.of(
                List.of("so", "sou", "su"), List.of("kh", "k"), List.of("chea", "chia", "chie"),
                List.of("ch", "c", "j"), List.of("ph", "p"), List.of("th", "t"), List.of("vann", "van"),
                List.of("srey", "srei", "srey "), List.of("pha", "pa", "pha-"), List.of("nak", "naak"),
                List.of("bo", "bu", "bou"), List.of("ra", "raa"), List.of("mom", "mom"), List.of("da", "dda"));
        Arbitrary<List<String>> group = Arbitraries.of(groups);
        Arbitrary<String> finalH = Arbitraries.of("", "h");
        return group.list().ofMinSize(1).ofMaxSize(4).flatMap(chosen -> Combinators.combine(
                pick(chosen), finalH, pick(chosen), finalH).as((a, ha, b, hb) -> Arrays.asList(a + ha, b + hb)))
                .filter(pair -> endsWell(pair.get(0)) && endsWell(pair.get(1)));
    }

    private static boolean endsWell(String name) {
        return !name.isBlank();
    }

    private static Arbitrary<String> pick(List<List<String>> chosen) {
        Arbitrary<String> result = Arbitraries.just("");
        for (List<String> group : chosen) {
            Arbitrary<String> before = result;
            result = Combinators.combine(before, Arbitraries.of(group)).as(String::concat);
        }
        return result;
    }

    @Provide
    Arbitrary<ClaimResults> claimResults() {
        Arbitrary<ClaimResult> result = Arbitraries.of(ClaimResult.class).injectNull(0.3);
        return Combinators.combine(result, result, result, result, result, result).as(ClaimResults::new);
    }

    @Provide
    Arbitrary<PartialDate> birthDates() {
        Arbitrary<LocalDate> day = Arbitraries.integers().between(0, 365 * 130)
                .map(n -> LocalDate.of(1900, 1, 1).plusDays(n));
        return Combinators.combine(day, Arbitraries.of(PartialDate.Precision.class)).as((d, precision) ->
                switch (precision) {
                    case YEAR -> new PartialDate(d.getYear(), 0, 0);
                    case MONTH -> new PartialDate(d.getYear(), d.getMonthValue(), 0);
                    case DAY -> PartialDate.of(d);
                });
    }

    @Provide
    Arbitrary<LocalDate> days() {
        return Arbitraries.integers().between(0, 365 * 140).map(n -> LocalDate.of(1900, 1, 1).plusDays(n));
    }
}
