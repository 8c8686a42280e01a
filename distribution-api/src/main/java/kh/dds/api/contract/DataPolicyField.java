package kh.dds.api.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The fields a contract's data policy may list for attribute retrieval (SPEC §4.2), and the registry fields each one
 * discloses. {@code familyName} and {@code givenName} cover both scripts.
 */
public enum DataPolicyField {
    FAMILY_NAME("familyName", "familyNameKh", "familyNameLatin"),
    GIVEN_NAME("givenName", "givenNameKh", "givenNameLatin"),
    SEX("sex", "sex"),
    DATE_OF_BIRTH("dateOfBirth", "dateOfBirth"),
    PLACE_OF_BIRTH("placeOfBirth", "placeOfBirth"),
    NATIONALITY("nationality", "nationality"),
    CITIZENSHIP("citizenship", "citizenship"),
    MARITAL_STATUS("maritalStatus", "maritalStatus"),
    ADDRESS("address", "address"),
    DOCUMENTS("documents", "documents"),
    PARENTS("parents", "parents"),
    CHILDREN("children", "children"),
    STATUS("status"),
    DATE_OF_DEATH("dateOfDeath");

    private final String policyName;
    private final List<String> recordFields;

    DataPolicyField(String policyName, String... recordFields) {
        this.policyName = policyName;
        this.recordFields = List.of(recordFields);
    }

    /** The name a policy lists it by. */
    public String policyName() {
        return policyName;
    }

    /** The registry record's own fields it discloses; empty for those kept in the replica's columns. */
    public List<String> recordFields() {
        return recordFields;
    }

    public static Optional<DataPolicyField> parse(String policyName) {
        return Arrays.stream(values()).filter(field -> field.policyName.equals(policyName)).findFirst();
    }
}
