package kh.dds.api.verification.matching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.Period;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.PersonStatus;

/**
 * Answers the yes/no predicates of SPEC §4.1 for a person who exists and is not retired. Conservative: an answer is
 * {@code TRUE} only when the registry proves it; {@code NOT_AVAILABLE} when the registry lacks what it would need.
 */
public final class ConditionEvaluator {

    /** The largest {@code ageAtLeast} accepted. */
    public static final int MAX_AGE = 150;

    private ConditionEvaluator() {
    }

    static void validate(Conditions conditions) {
        if (conditions.ageAtLeast() != null && (conditions.ageAtLeast() < 0 || conditions.ageAtLeast() > MAX_AGE)) {
            throw new InvalidClaimException("conditions.ageAtLeast", "must be between 0 and " + MAX_AGE);
        }
        if (conditions.residentInProvince() != null && !isProvinceCode(conditions.residentInProvince())) {
            throw new InvalidClaimException("conditions.residentInProvince", "must be a province code 01 to 25");
        }
    }

    private static boolean isProvinceCode(String code) {
        if (code.length() != 2 || !Character.isDigit(code.charAt(0)) || !Character.isDigit(code.charAt(1))) {
            return false;
        }
        int value = Integer.parseInt(code);
        return value >= 1 && value <= 25;
    }

    /**
     * Is the person certainly at least {@code years} old on {@code onDate}? Uses the latest day the (possibly
     * partial) birth date may stand for: someone born in {@code 1990} is 18 only from 2008-12-31. Whole years are
     * counted as {@link Period#between} does, so someone born on 29 February reaches an age on 1 March in common
     * years. {@code FALSE} also when the person may or may not be old enough — never a false yes.
     * {@code NOT_AVAILABLE} when the registry has no birth date or {@code onDate} is {@code null}.
     */
    public static ConditionResult ageAtLeast(int years, ObjectNode record, LocalDate onDate) {
        PartialDate birth = ClaimMatcher.registryDate(record);
        if (birth == null || onDate == null) {
            return ConditionResult.NOT_AVAILABLE;
        }
        LocalDate latestBirth = birth.latest();
        if (latestBirth.isAfter(onDate)) {
            return ConditionResult.FALSE; // may not even be born yet on that day
        }
        return ConditionResult.of(Period.between(latestBirth, onDate).getYears() >= years);
    }

    /**
     * Is the person's living state {@code wanted}? A person is alive when the status is {@code ACTIVE} and no date of
     * death is recorded; not alive when the status is {@code DECEASED} or a date of death is recorded.
     */
    public static ConditionResult alive(boolean wanted, PersonStatus status, LocalDate dateOfDeath) {
        boolean alive = status == PersonStatus.ACTIVE && dateOfDeath == null;
        return ConditionResult.of(alive == wanted);
    }

    /** Is the declared address in {@code province}? {@code NOT_AVAILABLE} when the record has no province. */
    public static ConditionResult residentInProvince(String province, ObjectNode record) {
        JsonNode address = record.get("address");
        String registered = address instanceof ObjectNode node ? ClaimMatcher.text(node, "province") : null;
        if (registered == null) {
            return ConditionResult.NOT_AVAILABLE;
        }
        return ConditionResult.of(registered.equals(province));
    }
}
