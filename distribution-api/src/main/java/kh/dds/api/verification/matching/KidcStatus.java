package kh.dds.api.verification.matching;

import kh.dds.schema.event.PersonStatus;

/** The standing of the KIdC asked about, as the verification answer reports it. */
public enum KidcStatus {
    ACTIVE,
    NOT_FOUND,
    DECEASED,
    RETIRED;

    static KidcStatus of(PersonStatus status) {
        return switch (status) {
            case ACTIVE -> ACTIVE;
            case DECEASED -> DECEASED;
            case RETIRED -> RETIRED;
        };
    }
}
