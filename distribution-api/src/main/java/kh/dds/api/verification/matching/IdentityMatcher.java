package kh.dds.api.verification.matching;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import kh.dds.schema.event.PersonStatus;

/**
 * The verification matching engine (SPEC §4.1): claims and predicates in, enums and booleans out — never a registry
 * value. Pure, no I/O; {@code today} is the date in Asia/Phnom_Penh, passed in by the caller.
 *
 * <h2>By KIdC status</h2>
 * <ul>
 *   <li>{@code ACTIVE}: every claim and predicate is evaluated; the decision follows the claims.</li>
 *   <li>{@code DECEASED}: the record exists, so claims and predicates are still evaluated (a bank learns which of its
 *       data was right), but the decision is {@code NO_MATCH}. {@code alive} is false; {@code ageAtLeast} is judged
 *       on the date of death (a person who died at 17 never became 18), {@code NOT_AVAILABLE} without one;
 *       {@code residentInProvince} is judged on the last declared address.</li>
 *   <li>{@code RETIRED}: every claim and predicate is {@code NOT_AVAILABLE} and the decision {@code NO_MATCH}. A
 *       retired KIdC was a duplicate; the person now answers to the survivor KIdC, and the old record must not be
 *       usable to probe (confirm names, dates, documents) under a code that no longer identifies anyone.</li>
 *   <li>{@code NOT_FOUND}: every claim and predicate is {@code NOT_AVAILABLE} and the decision {@code NO_MATCH}.</li>
 * </ul>
 *
 * <h2>Decision</h2>
 * {@code NO_MATCH} when the status is not {@code ACTIVE} or any claim is {@code NO_MATCH}; otherwise {@code MATCH}
 * when every claim is {@code MATCH}; otherwise ({@code PARTIAL} or {@code NOT_AVAILABLE} present)
 * {@code PARTIAL_MATCH}. Predicates never enter the decision: with no claims at all and an {@code ACTIVE} KIdC the
 * decision is {@code MATCH} (the KIdC exists and is active; the predicates carry their own answers).
 *
 * <h2>Validation</h2>
 * Claims and predicates are validated before the status or the record is looked at, so a malformed request fails
 * ({@link InvalidClaimException}) the same way whether or not the KIdC exists.
 */
public final class IdentityMatcher {

    /**
     * @param person      the replica's record, or empty when the KIdC is unknown
     * @param claims      what is claimed (fields may be {@code null})
     * @param conditions  what is asked (fields may be {@code null})
     * @param today       today's date in Asia/Phnom_Penh
     * @throws InvalidClaimException for a malformed claim or predicate
     */
    public VerificationOutcome verify(Optional<RegistryPerson> person, Claims claims, Conditions conditions,
                                      LocalDate today) {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(conditions, "conditions");
        Objects.requireNonNull(today, "today");
        validate(claims, conditions);

        if (person.isEmpty()) {
            return unavailable(KidcStatus.NOT_FOUND, claims, conditions);
        }
        RegistryPerson found = person.get();
        if (found.status() == PersonStatus.RETIRED) {
            return unavailable(KidcStatus.RETIRED, claims, conditions);
        }
        ClaimResults claimResults = matchClaims(claims, found.record(), today);
        ConditionResults conditionResults = evaluate(conditions, found, today);
        KidcStatus status = KidcStatus.of(found.status());
        return new VerificationOutcome(status, decide(status, claimResults), claimResults, conditionResults);
    }

    /** The decision for these claim results (see the class description). */
    public static Decision decide(KidcStatus status, ClaimResults results) {
        if (status != KidcStatus.ACTIVE || results.made().anyMatch(r -> r == ClaimResult.NO_MATCH)) {
            return Decision.NO_MATCH;
        }
        return results.made().allMatch(r -> r == ClaimResult.MATCH) ? Decision.MATCH : Decision.PARTIAL_MATCH;
    }

    private static void validate(Claims claims, Conditions conditions) {
        if (claims.familyName() != null) {
            ClaimMatcher.validateName(claims.familyName(), "familyName");
        }
        if (claims.givenName() != null) {
            ClaimMatcher.validateName(claims.givenName(), "givenName");
        }
        if (claims.dateOfBirth() != null) {
            ClaimMatcher.validateDate(claims.dateOfBirth());
        }
        if (claims.sex() != null) {
            ClaimMatcher.validateSex(claims.sex());
        }
        if (claims.documentNumber() != null) {
            ClaimMatcher.validateDocumentNumber(claims.documentNumber());
        }
        if (claims.address() != null) {
            claims.address().levels();
        }
        ConditionEvaluator.validate(conditions);
    }

    private static ClaimResults matchClaims(Claims claims, ObjectNode record, LocalDate today) {
        return new ClaimResults(
                claims.familyName() == null ? null : ClaimMatcher.matchName(claims.familyName(), record, "familyName"),
                claims.givenName() == null ? null : ClaimMatcher.matchName(claims.givenName(), record, "givenName"),
                claims.dateOfBirth() == null ? null : ClaimMatcher.matchDateOfBirth(claims.dateOfBirth(), record),
                claims.sex() == null ? null : ClaimMatcher.matchSex(claims.sex(), record),
                claims.documentNumber() == null ? null
                        : ClaimMatcher.matchDocumentNumber(claims.documentNumber(), record, today),
                claims.address() == null ? null : ClaimMatcher.matchAddress(claims.address(), record));
    }

    private static ConditionResults evaluate(Conditions conditions, RegistryPerson person, LocalDate today) {
        LocalDate ageDate = today;
        if (person.status() == PersonStatus.DECEASED) {
            ageDate = person.dateOfDeath() == null || person.dateOfDeath().isAfter(today) ? null : person.dateOfDeath();
        }
        return new ConditionResults(
                conditions.ageAtLeast() == null ? null
                        : ConditionEvaluator.ageAtLeast(conditions.ageAtLeast(), person.record(), ageDate),
                conditions.alive() == null ? null
                        : ConditionEvaluator.alive(conditions.alive(), person.status(), person.dateOfDeath()),
                conditions.residentInProvince() == null ? null
                        : ConditionEvaluator.residentInProvince(conditions.residentInProvince(), person.record()));
    }

    private static VerificationOutcome unavailable(KidcStatus status, Claims claims, Conditions conditions) {
        ClaimResults claimResults = new ClaimResults(
                na(claims.familyName()), na(claims.givenName()), na(claims.dateOfBirth()), na(claims.sex()),
                na(claims.documentNumber()), na(claims.address()));
        ConditionResults conditionResults = new ConditionResults(
                conditions.ageAtLeast() == null ? null : ConditionResult.NOT_AVAILABLE,
                conditions.alive() == null ? null : ConditionResult.NOT_AVAILABLE,
                conditions.residentInProvince() == null ? null : ConditionResult.NOT_AVAILABLE);
        return new VerificationOutcome(status, Decision.NO_MATCH, claimResults, conditionResults);
    }

    private static ClaimResult na(Object claim) {
        return claim == null ? null : ClaimResult.NOT_AVAILABLE;
    }
}
