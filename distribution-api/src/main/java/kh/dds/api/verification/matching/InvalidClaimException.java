package kh.dds.api.verification.matching;

/**
 * A claim or condition the request got wrong (a malformed date, an address with a gap, an unknown sex code…).
 * This is a validation error ({@code 400}), never a {@code NO_MATCH}: it is raised before the registry record is
 * looked at, so it tells the caller nothing about the person. The message never repeats the claimed value.
 */
public class InvalidClaimException extends RuntimeException {

    private final String field;

    public InvalidClaimException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The request field at fault, e.g. {@code claims.dateOfBirth} or {@code conditions.ageAtLeast}. */
    public String field() {
        return field;
    }
}
