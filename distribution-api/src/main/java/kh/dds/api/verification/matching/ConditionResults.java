package kh.dds.api.verification.matching;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to each predicate; {@code null} (left out of JSON) for a predicate not asked. No registry value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionResults(ConditionResult ageAtLeast, ConditionResult alive,
                               ConditionResult residentInProvince) {
}
