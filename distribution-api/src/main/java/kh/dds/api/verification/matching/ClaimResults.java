package kh.dds.api.verification.matching;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.stream.Stream;

/** The result of each claim; {@code null} (left out of JSON) for a claim not made. Only enums, no registry value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimResults(ClaimResult familyName, ClaimResult givenName, ClaimResult dateOfBirth, ClaimResult sex,
                           ClaimResult documentNumber, ClaimResult address) {

    /** The results of the claims that were made. */
    public Stream<ClaimResult> made() {
        return Stream.of(familyName, givenName, dateOfBirth, sex, documentNumber, address)
                .filter(result -> result != null);
    }
}
