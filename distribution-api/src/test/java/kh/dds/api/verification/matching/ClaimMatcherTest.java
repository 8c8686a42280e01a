package kh.dds.api.verification.matching;

import static kh.dds.api.verification.matching.ClaimResult.MATCH;
import static kh.dds.api.verification.matching.ClaimResult.NOT_AVAILABLE;
import static kh.dds.api.verification.matching.ClaimResult.NO_MATCH;
import static kh.dds.api.verification.matching.ClaimResult.PARTIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.time.LocalDate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimMatcherTest {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

    @Nested
    class Names {

        final ObjectNode dara = Registry.sokDara();

        @Test
        void matchesEitherScript() {
            assertEquals(MATCH, ClaimMatcher.matchName("SOK", dara, "familyName"));
            assertEquals(MATCH, ClaimMatcher.matchName("សុខ", dara, "familyName"));
            assertEquals(MATCH, ClaimMatcher.matchName("Dara", dara, "givenName"));
            assertEquals(MATCH, ClaimMatcher.matchName("ដារ៉ា", dara, "givenName"));
        }

        @Test
        void matchesAfterNormalisation() {
            assertEquals(MATCH, ClaimMatcher.matchName(" d\u200Bara\u00A0", dara, "givenName"));
            assertEquals(MATCH, ClaimMatcher.matchName("\u200Bសុខ\uFEFF", dara, "familyName"));
            assertEquals(MATCH, ClaimMatcher.matchName(
                    Normalizer.normalize("ដារ៉ា", Normalizer.Form.NFD), dara, "givenName"));
        }

        @Test
        void matchesKhmerWithZeroWidthSpaceBetweenWords() {
            ObjectNode person = Registry.withNames("សុខ", "ស្រី មុំ", "SOK", "SREY MOM");
            assertEquals(MATCH, ClaimMatcher.matchName("ស្រី\u200B \u200Bមុំ", person, "givenName"));
            assertEquals(MATCH, ClaimMatcher.matchName("ស្រី\u00A0មុំ", person, "givenName"));
            assertEquals(MATCH, ClaimMatcher.matchName("srey   mom", person, "givenName"));
            assertEquals(PARTIAL, ClaimMatcher.matchName("Sreymom", person, "givenName"));
        }

        @Test
        void matchesDecomposedLatinAccents() {
            ObjectNode person = Registry.withNames("សុខ", "ដារ៉ា", "SOK", "DÁRA");
            assertEquals(MATCH, ClaimMatcher.matchName("Da\u0301ra", person, "givenName"));
            assertEquals(PARTIAL, ClaimMatcher.matchName("Dara", person, "givenName"));
        }

        @Test
        void closeLatinTransliterationIsPartial() {
            ObjectNode person = Registry.withNames("ជា", "សុភាព", "CHEA", "SOPHEAP");
            assertEquals(PARTIAL, ClaimMatcher.matchName("Chia", person, "familyName"));
            assertEquals(PARTIAL, ClaimMatcher.matchName("Sophiep", person, "givenName"));
            assertEquals(NO_MATCH, ClaimMatcher.matchName("Sopheak", person, "givenName"));
        }

        @Test
        void differentNameIsNoMatch() {
            assertEquals(NO_MATCH, ClaimMatcher.matchName("Sophea", dara, "givenName"));
            assertEquals(NO_MATCH, ClaimMatcher.matchName("Tara", dara, "givenName"));
            assertEquals(NO_MATCH, ClaimMatcher.matchName("SOK", dara, "givenName"));
        }

        @Test
        void khmerClaimsAreNeverPartial() {
            assertEquals(NO_MATCH, ClaimMatcher.matchName("ដារា", dara, "givenName")); // a different vowel sign
            assertEquals(NO_MATCH, ClaimMatcher.matchName("ដារ៉ា ", dara, "familyName"));
        }

        @Test
        void missingScriptIsNotAvailable() {
            ObjectNode latinOnly = Registry.withNames(null, null, "SOK", "DARA");
            assertEquals(NOT_AVAILABLE, ClaimMatcher.matchName("ដារ៉ា", latinOnly, "givenName"));
            assertEquals(MATCH, ClaimMatcher.matchName("dara", latinOnly, "givenName"));
            ObjectNode khmerOnly = Registry.withNames("សុខ", "ដារ៉ា", null, " ");
            assertEquals(NOT_AVAILABLE, ClaimMatcher.matchName("Dara", khmerOnly, "givenName"));
            assertEquals(MATCH, ClaimMatcher.matchName("ដារ៉ា", khmerOnly, "givenName"));
            assertEquals(NO_MATCH, ClaimMatcher.matchName("ដារា", khmerOnly, "givenName"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "  ", "\u200B", "\u00A0\u200B "})
        void blankNameIsInvalid(String claim) {
            InvalidClaimException e = assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchName(claim, dara, "givenName"));
            assertEquals("claims.givenName", e.field());
        }
    }

    @Nested
    class DatesOfBirth {

        @ParameterizedTest(name = "registry {0}, claim {1} -> {2}")
        @CsvSource({
                "1990-05-17, 1990-05-17, MATCH",
                "1990-05-17, 1990-05-18, NO_MATCH",
                "1990-05-17, 1991-05-17, NO_MATCH",
                "1990-05,    1990-05-17, PARTIAL",
                "1990-05,    1990-06-17, NO_MATCH",
                "1990,       1990-05-17, PARTIAL",
                "1990,       1990-12,    PARTIAL",
                "1990,       1991-01-01, NO_MATCH",
                "1990-05-17, 1990,       PARTIAL",
                "1990-05-17, 1990-05,    PARTIAL",
                "1990-05-17, 1989,       NO_MATCH",
                "1990-05-17, 1990-04,    NO_MATCH",
                "1990,       1990,       MATCH",
                "1990-05,    1990-05,    MATCH",
                "1990-05,    1990,       PARTIAL",
                "1990-05,    1991,       NO_MATCH",
        })
        void comparesAtTheCoarserPrecision(String registry, String claim, ClaimResult expected) {
            assertEquals(expected, ClaimMatcher.matchDateOfBirth(claim, Registry.withDateOfBirth(registry)));
        }

        @Test
        void registryWithoutDateIsNotAvailable() {
            assertEquals(NOT_AVAILABLE, ClaimMatcher.matchDateOfBirth("1990-05-17", Registry.withDateOfBirth(null)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "17/05/1990", "1990-5-17", "1990-13", "1990-02-30", "1990-00", "90", "199O",
                "1990-05-17T00:00"})
        void malformedClaimIsInvalidNotNoMatch(String claim) {
            InvalidClaimException e = assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchDateOfBirth(claim, Registry.sokDara()));
            assertEquals("claims.dateOfBirth", e.field());
        }
    }

    @Nested
    class Sex {

        @Test
        void comparesExactly() {
            assertEquals(MATCH, ClaimMatcher.matchSex("M", Registry.sokDara()));
            assertEquals(MATCH, ClaimMatcher.matchSex(" m ", Registry.sokDara()));
            assertEquals(NO_MATCH, ClaimMatcher.matchSex("F", Registry.sokDara()));
        }

        @Test
        void missingIsNotAvailable() {
            ObjectNode person = Registry.sokDara();
            person.remove("sex");
            assertEquals(NOT_AVAILABLE, ClaimMatcher.matchSex("F", person));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "X", "male", "MF"})
        void otherCodesAreInvalid(String claim) {
            assertEquals("claims.sex", assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchSex(claim, Registry.sokDara())).field());
        }
    }

    @Nested
    class DocumentNumbers {

        @ParameterizedTest
        @ValueSource(strings = {"010203040", "010 203 040", "010-203-040", "0102\u201303040", "０１０２０３０４０"})
        void validDocumentMatchesIgnoringSpacesAndHyphens(String claim) {
            assertEquals(MATCH, ClaimMatcher.matchDocumentNumber(claim, Registry.sokDara(), TODAY));
        }

        @Test
        void ignoresCase() {
            ObjectNode person = Registry.sokDara();
            Registry.document((ArrayNode) person.get("documents"), "PASSPORT", "N01234567", "2022-01-01",
                    "2032-01-01", "VALID");
            assertEquals(MATCH, ClaimMatcher.matchDocumentNumber("n0123-4567", person, TODAY));
        }

        @Test
        void revokedDocumentIsNoMatch() {
            assertEquals(NO_MATCH, ClaimMatcher.matchDocumentNumber("998877665", Registry.sokDara(), TODAY));
        }

        @Test
        void expiredDocumentIsNoMatchFromTheDayAfterExpiry() {
            ObjectNode person = Registry.sokDara();
            assertEquals(MATCH, ClaimMatcher.matchDocumentNumber("010203040", person, LocalDate.of(2030, 1, 14)));
            assertEquals(NO_MATCH, ClaimMatcher.matchDocumentNumber("010203040", person, LocalDate.of(2030, 1, 15)));
        }

        @Test
        void documentWithoutExpiryStaysValid() {
            ObjectNode person = Registry.sokDara();
            ArrayNode documents = person.putArray("documents");
            Registry.document(documents, "NATIONAL_ID", "111", "2020-01-01", null, "VALID");
            assertEquals(MATCH, ClaimMatcher.matchDocumentNumber("111", person, TODAY));
        }

        @Test
        void sameNumberRevokedAndReissuedMatches() {
            ObjectNode person = Registry.sokDara();
            ArrayNode documents = person.putArray("documents");
            Registry.document(documents, "NATIONAL_ID", "111", "2010-01-01", "2020-01-01", "REVOKED");
            Registry.document(documents, "PASSPORT", "111", "2021-01-01", "2031-01-01", "VALID");
            assertEquals(MATCH, ClaimMatcher.matchDocumentNumber("111", person, TODAY));
        }

        @Test
        void unknownNumberIsNoMatch() {
            assertEquals(NO_MATCH, ClaimMatcher.matchDocumentNumber("123456789", Registry.sokDara(), TODAY));
        }

        @Test
        void noDocumentsIsNotAvailable() {
            ObjectNode person = Registry.sokDara();
            person.putArray("documents");
            assertEquals(NOT_AVAILABLE, ClaimMatcher.matchDocumentNumber("010203040", person, TODAY));
            person.remove("documents");
            assertEquals(NOT_AVAILABLE, ClaimMatcher.matchDocumentNumber("010203040", person, TODAY));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " - ", "\u200B"})
        void blankNumberIsInvalid(String claim) {
            assertEquals("claims.documentNumber", assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchDocumentNumber(claim, Registry.sokDara(), TODAY)).field());
        }
    }

    @Nested
    class Addresses {

        final ObjectNode dara = Registry.sokDara();

        @Test
        void everyGivenLevelMustEqual() {
            assertEquals(MATCH, ClaimMatcher.matchAddress(AddressClaim.province("12"), dara));
            assertEquals(MATCH, ClaimMatcher.matchAddress(new AddressClaim("12", "1201", null, null), dara));
            assertEquals(MATCH, ClaimMatcher.matchAddress(new AddressClaim("12", "1201", "120101", null), dara));
            assertEquals(MATCH,
                    ClaimMatcher.matchAddress(new AddressClaim("12", "1201", "120101", "12010101"), dara));
        }

        @Test
        void anyDifferingLevelIsNoMatch() {
            assertEquals(NO_MATCH, ClaimMatcher.matchAddress(AddressClaim.province("13"), dara));
            assertEquals(NO_MATCH, ClaimMatcher.matchAddress(new AddressClaim("12", "1202", null, null), dara));
            assertEquals(NO_MATCH,
                    ClaimMatcher.matchAddress(new AddressClaim("12", "1201", "120101", "12010102"), dara));
        }

        @Test
        void levelTheRegistryLacksIsNotAvailable() {
            ObjectNode person = Registry.address(Registry.sokDara(), "12", "1201");
            assertEquals(MATCH, ClaimMatcher.matchAddress(new AddressClaim("12", "1201", null, null), person));
            assertEquals(NOT_AVAILABLE,
                    ClaimMatcher.matchAddress(new AddressClaim("12", "1201", "120101", null), person));
            assertEquals(NO_MATCH,
                    ClaimMatcher.matchAddress(new AddressClaim("12", "1202", "120201", null), person));
            person.remove("address");
            assertEquals(NOT_AVAILABLE, ClaimMatcher.matchAddress(AddressClaim.province("12"), person));
        }

        @Test
        void claimWithAGapOrNothingIsInvalid() {
            assertEquals("claims.address.district", assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchAddress(new AddressClaim(null, "1201", null, null), dara)).field());
            assertEquals("claims.address.commune", assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchAddress(new AddressClaim("12", null, "120101", null), dara)).field());
            assertEquals("claims.address", assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchAddress(new AddressClaim(null, null, null, null), dara)).field());
            assertEquals("claims.address.province", assertThrows(InvalidClaimException.class,
                    () -> ClaimMatcher.matchAddress(AddressClaim.province(" "), dara)).field());
        }
    }
}
