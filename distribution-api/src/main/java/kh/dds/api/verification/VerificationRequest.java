package kh.dds.api.verification;

/**
 * {@code POST /v1/verifications} (SPEC §4.1). Unknown fields are refused: a misspelt claim must not silently drop out
 * of the decision.
 */
public record VerificationRequest(String kidc, String purpose, String reference, ClaimsBody claims,
                                  ConditionsBody conditions) {

    /** What the relying party claims; every field optional. Names in Khmer or Latin script. */
    public record ClaimsBody(String familyName, String givenName, String dateOfBirth, String sex,
                             String documentNumber, AddressBody address) {
    }

    /** A prefix of the address hierarchy: province, then district, commune, village. */
    public record AddressBody(String province, String district, String commune, String village) {
    }

    /** Predicates answered yes or no; every field optional. */
    public record ConditionsBody(Integer ageAtLeast, Boolean alive, String residentInProvince) {
    }
}
