package kh.dds.api.verification.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kh.dds.schema.event.PersonStatus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class IdentityMatcherTest {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

    final IdentityMatcher matcher = new IdentityMatcher();

    static Optional<RegistryPerson> active(ObjectNode record) {
        return Optional.of(new RegistryPerson(record, PersonStatus.ACTIVE, null));
    }

    static Claims allCorrect() {
        return new Claims("Sok", "ដារ៉ា", "1990-05-17", "M", "010-203-040", new AddressClaim("12", "1201", null, null));
    }

    static Conditions allConditions() {
        return new Conditions(18, true, "12");
    }

    @Nested
    class Decisions {

        @Test
        void everyClaimMatching() {
            VerificationOutcome outcome = matcher.verify(active(Registry.sokDara()), allCorrect(), Conditions.none(),
                    TODAY);
            assertEquals(KidcStatus.ACTIVE, outcome.kidcStatus());
            assertEquals(Decision.MATCH, outcome.decision());
            assertEquals(new ClaimResults(ClaimResult.MATCH, ClaimResult.MATCH, ClaimResult.MATCH, ClaimResult.MATCH,
                    ClaimResult.MATCH, ClaimResult.MATCH), outcome.claims());
            assertEquals(new ConditionResults(null, null, null), outcome.conditions());
        }

        @Test
        void partialClaimGivesPartialMatch() {
            Claims claims = new Claims("Sok", "Daraa", "1990", null, null, null);
            VerificationOutcome outcome = matcher.verify(active(Registry.sokDara()), claims, Conditions.none(), TODAY);
            assertEquals(Decision.PARTIAL_MATCH, outcome.decision());
            assertEquals(ClaimResult.PARTIAL, outcome.claims().givenName());
            assertEquals(ClaimResult.PARTIAL, outcome.claims().dateOfBirth());
        }

        @Test
        void notAvailableClaimGivesPartialMatch() {
            ObjectNode person = Registry.sokDara();
            person.remove("sex");
            Claims claims = new Claims("Sok", null, null, "F", null, null);
            VerificationOutcome outcome = matcher.verify(active(person), claims, Conditions.none(), TODAY);
            assertEquals(ClaimResult.NOT_AVAILABLE, outcome.claims().sex());
            assertEquals(Decision.PARTIAL_MATCH, outcome.decision());
        }

        @Test
        void anyNoMatchGivesNoMatch() {
            Claims claims = new Claims("Sok", "Daraa", "1990-05-17", "F", null, null);
            VerificationOutcome outcome = matcher.verify(active(Registry.sokDara()), claims, Conditions.none(), TODAY);
            assertEquals(Decision.NO_MATCH, outcome.decision());
            assertEquals(ClaimResult.NO_MATCH, outcome.claims().sex());
        }

        @Test
        void noClaimsOnActiveKidcIsMatch() {
            VerificationOutcome outcome = matcher.verify(active(Registry.sokDara()), Claims.none(),
                    new Conditions(18, null, null), TODAY);
            assertEquals(Decision.MATCH, outcome.decision());
            assertEquals(ConditionResult.TRUE, outcome.conditions().ageAtLeast());
        }
    }

    @Nested
    class Statuses {

        @Test
        void deceasedStillComputesClaimsButDecidesNoMatch() {
            Optional<RegistryPerson> person = Optional.of(
                    new RegistryPerson(Registry.sokDara(), PersonStatus.DECEASED, LocalDate.of(2026, 1, 2)));
            VerificationOutcome outcome = matcher.verify(person, allCorrect(), allConditions(), TODAY);
            assertEquals(KidcStatus.DECEASED, outcome.kidcStatus());
            assertEquals(Decision.NO_MATCH, outcome.decision());
            assertTrue(outcome.claims().made().allMatch(r -> r == ClaimResult.MATCH));
            assertEquals(new ConditionResults(ConditionResult.TRUE, ConditionResult.FALSE, ConditionResult.TRUE),
                    outcome.conditions());
        }

        @Test
        void deceasedAgeIsJudgedOnTheDateOfDeath() {
            ObjectNode record = Registry.withDateOfBirth("2000-06-01");
            Conditions adult = new Conditions(18, false, null);
            VerificationOutcome diedYoung = matcher.verify(
                    Optional.of(new RegistryPerson(record, PersonStatus.DECEASED, LocalDate.of(2015, 1, 1))),
                    Claims.none(), adult, TODAY);
            assertEquals(ConditionResult.FALSE, diedYoung.conditions().ageAtLeast());
            assertEquals(ConditionResult.TRUE, diedYoung.conditions().alive()); // "is not alive" holds
            VerificationOutcome noDate = matcher.verify(
                    Optional.of(new RegistryPerson(record, PersonStatus.DECEASED, null)), Claims.none(), adult, TODAY);
            assertEquals(ConditionResult.NOT_AVAILABLE, noDate.conditions().ageAtLeast());
        }

        @ParameterizedTest
        @EnumSource(value = KidcStatus.class, names = {"NOT_FOUND", "RETIRED"})
        void notFoundAndRetiredDiscloseNothing(KidcStatus status) {
            Optional<RegistryPerson> person = status == KidcStatus.NOT_FOUND ? Optional.empty()
                    : Optional.of(new RegistryPerson(Registry.sokDara(), PersonStatus.RETIRED, null));
            VerificationOutcome outcome = matcher.verify(person, allCorrect(), allConditions(), TODAY);
            assertEquals(status, outcome.kidcStatus());
            assertEquals(Decision.NO_MATCH, outcome.decision());
            assertEquals(new ClaimResults(ClaimResult.NOT_AVAILABLE, ClaimResult.NOT_AVAILABLE,
                    ClaimResult.NOT_AVAILABLE, ClaimResult.NOT_AVAILABLE, ClaimResult.NOT_AVAILABLE,
                    ClaimResult.NOT_AVAILABLE), outcome.claims());
            assertEquals(new ConditionResults(ConditionResult.NOT_AVAILABLE, ConditionResult.NOT_AVAILABLE,
                    ConditionResult.NOT_AVAILABLE), outcome.conditions());
        }

        @Test
        void claimsNotMadeStayAbsentForUnknownKidc() {
            VerificationOutcome outcome = matcher.verify(Optional.empty(), new Claims("Sok", null, null, null, null,
                    null), Conditions.none(), TODAY);
            assertEquals(new ClaimResults(ClaimResult.NOT_AVAILABLE, null, null, null, null, null), outcome.claims());
        }

        @Test
        void malformedClaimFailsTheSameWayWhetherOrNotTheKidcExists() {
            Claims bad = new Claims(null, null, "1990-02-30", null, null, null);
            assertEquals("claims.dateOfBirth", assertThrows(InvalidClaimException.class,
                    () -> matcher.verify(Optional.empty(), bad, Conditions.none(), TODAY)).field());
            assertEquals("claims.dateOfBirth", assertThrows(InvalidClaimException.class,
                    () -> matcher.verify(active(Registry.sokDara()), bad, Conditions.none(), TODAY)).field());
        }
    }

    @Nested
    class ConditionAnswers {

        @ParameterizedTest(name = "born {0}, on {1}, at least {2}: {3}")
        @CsvSource({
                "2008-03-01, 2026-03-01, 18, TRUE",
                "2008-03-02, 2026-03-01, 18, FALSE",
                "2007-02,    2025-02-28, 18, TRUE",
                "2007-02,    2025-02-27, 18, FALSE",
                "2008-02,    2026-02-28, 18, FALSE",
                "2008-02,    2026-03-01, 18, TRUE",
                "1990,       2008-12-31, 18, TRUE",
                "1990,       2008-12-30, 18, FALSE",
                "1990,       2008-01-01, 18, FALSE",
                "2000-02-29, 2018-02-28, 18, FALSE",
                "2000-02-29, 2018-03-01, 18, TRUE",
                "2027,       2026-03-01, 0,  FALSE",
                "2026-03-01, 2026-03-01, 0,  TRUE",
        })
        void ageAtLeastUsesTheLatestPossibleBirthDay(String birth, LocalDate today, int years,
                                                     ConditionResult expected) {
            assertEquals(expected, ConditionEvaluator.ageAtLeast(years, Registry.withDateOfBirth(birth), today));
        }

        @Test
        void ageWithoutBirthDateIsNotAvailable() {
            assertEquals(ConditionResult.NOT_AVAILABLE,
                    ConditionEvaluator.ageAtLeast(18, Registry.withDateOfBirth(null), TODAY));
        }

        @Test
        void alive() {
            assertEquals(ConditionResult.TRUE, ConditionEvaluator.alive(true, PersonStatus.ACTIVE, null));
            assertEquals(ConditionResult.FALSE, ConditionEvaluator.alive(false, PersonStatus.ACTIVE, null));
            assertEquals(ConditionResult.FALSE, ConditionEvaluator.alive(true, PersonStatus.DECEASED, null));
            assertEquals(ConditionResult.FALSE,
                    ConditionEvaluator.alive(true, PersonStatus.ACTIVE, LocalDate.of(2026, 1, 2)));
        }

        @Test
        void residentInProvince() {
            assertEquals(ConditionResult.TRUE, ConditionEvaluator.residentInProvince("12", Registry.sokDara()));
            assertEquals(ConditionResult.FALSE, ConditionEvaluator.residentInProvince("17", Registry.sokDara()));
            ObjectNode homeless = Registry.sokDara();
            homeless.remove("address");
            assertEquals(ConditionResult.NOT_AVAILABLE, ConditionEvaluator.residentInProvince("12", homeless));
        }

        @Test
        void invalidConditionsAreValidationErrors() {
            assertEquals("conditions.ageAtLeast", assertThrows(InvalidClaimException.class,
                    () -> matcher.verify(Optional.empty(), Claims.none(), new Conditions(-1, null, null), TODAY))
                    .field());
            assertEquals("conditions.residentInProvince", assertThrows(InvalidClaimException.class,
                    () -> matcher.verify(Optional.empty(), Claims.none(), new Conditions(null, null, "26"), TODAY))
                    .field());
            assertEquals("conditions.residentInProvince", assertThrows(InvalidClaimException.class,
                    () -> matcher.verify(Optional.empty(), Claims.none(), new Conditions(null, null, "1"), TODAY))
                    .field());
        }
    }

    @Nested
    class Disclosure {

        @Test
        void serialisedOutcomeHoldsNoRegistryValue() throws Exception {
            ObjectNode record = Registry.sokDara();
            VerificationOutcome outcome = matcher.verify(
                    Optional.of(new RegistryPerson(record, PersonStatus.DECEASED, LocalDate.of(2026, 1, 2))),
                    allCorrect(), allConditions(), TODAY);
            String json = Registry.JSON.writeValueAsString(outcome);

            List<String> registryValues = new ArrayList<>();
            collectValues(record, registryValues);
            registryValues.add("2026-01-02");
            assertTrue(registryValues.size() > 20, "the fixture holds values to look for");

            List<String> outcomeValues = new ArrayList<>();
            collectValues(Registry.JSON.readTree(json), outcomeValues);
            for (String value : registryValues) {
                assertFalse(outcomeValues.contains(value), () -> "outcome holds registry value " + value);
                if (value.length() > 1) {
                    assertFalse(json.contains(value), () -> "outcome JSON contains " + value + ": " + json);
                }
            }
            assertFalse(json.chars().anyMatch(Character::isDigit), json);
            for (String latin : List.of("sok", "dara", "010203040")) {
                assertFalse(json.toLowerCase().contains(latin), json);
            }
        }

        @Test
        void serialisesTheShapeOfSpecSection41() throws Exception {
            VerificationOutcome outcome = matcher.verify(active(Registry.sokDara()),
                    new Claims("Sok", null, "1990", null, null, null), new Conditions(18, null, null), TODAY);
            assertEquals("{\"kidcStatus\":\"ACTIVE\",\"decision\":\"PARTIAL_MATCH\","
                            + "\"claims\":{\"familyName\":\"MATCH\",\"dateOfBirth\":\"PARTIAL\"},"
                            + "\"conditions\":{\"ageAtLeast\":true}}",
                    Registry.JSON.writeValueAsString(outcome));
            VerificationOutcome unknown = matcher.verify(Optional.empty(), Claims.none(),
                    new Conditions(18, null, null), TODAY);
            assertTrue(Registry.JSON.writeValueAsString(unknown).contains("\"ageAtLeast\":\"NOT_AVAILABLE\""));
        }

        private static void collectValues(JsonNode node, List<String> into) {
            if (node.isValueNode()) {
                into.add(node.asText());
            }
            node.forEach(child -> collectValues(child, into));
        }
    }
}
