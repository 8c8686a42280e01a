package kh.dds.schema.event;

import java.time.LocalDate;

/** An identity document the registry issued: {@code NATIONAL_ID} or {@code PASSPORT}, {@code VALID} or {@code REVOKED}. */
public record IdentityDocument(String type, String number, LocalDate issuedOn, LocalDate expiresOn, String status) {

    public static final String VALID = "VALID";
    public static final String REVOKED = "REVOKED";

    public IdentityDocument revoked() {
        return new IdentityDocument(type, number, issuedOn, expiresOn, REVOKED);
    }

    public boolean sameDocument(String otherType, String otherNumber) {
        return type.equals(otherType) && number.equals(otherNumber);
    }
}
