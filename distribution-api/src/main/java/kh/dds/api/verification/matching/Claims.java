package kh.dds.api.verification.matching;

/**
 * What a relying party claims about a person. Every field is optional ({@code null}: not claimed).
 *
 * @param familyName     in Khmer or Latin script
 * @param givenName      in Khmer or Latin script
 * @param dateOfBirth    {@code YYYY}, {@code YYYY-MM} or {@code YYYY-MM-DD}
 * @param sex            {@code M} or {@code F}
 * @param documentNumber spaces and hyphens are ignored, as is case
 * @param address        a prefix of province/district/commune/village
 */
public record Claims(String familyName, String givenName, String dateOfBirth, String sex, String documentNumber,
                     AddressClaim address) {

    public static Claims none() {
        return new Claims(null, null, null, null, null, null);
    }

    public boolean isEmpty() {
        return familyName == null && givenName == null && dateOfBirth == null && sex == null
                && documentNumber == null && address == null;
    }
}
