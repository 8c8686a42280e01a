package kh.dds.api.verification.matching;

/**
 * Yes/no predicates asked about a person. Every field is optional ({@code null}: not asked).
 *
 * @param ageAtLeast         is the person certainly at least this many years old today (0–150)
 * @param alive              is the person's living state this value ({@code true}: "is alive")
 * @param residentInProvince is the declared address in this two-digit province code
 */
public record Conditions(Integer ageAtLeast, Boolean alive, String residentInProvince) {

    public static Conditions none() {
        return new Conditions(null, null, null);
    }
}
