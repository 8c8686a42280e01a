package kh.dds.api.verification.matching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A claimed address: a prefix of the hierarchy province → district → commune → village. {@code null} means the level
 * is not claimed; a level may be given only when all the levels above it are.
 */
public record AddressClaim(String province, String district, String commune, String village) {

    /** The registry's field names, top level first. */
    static final List<String> LEVELS = List.of("province", "district", "commune", "village");

    public static AddressClaim province(String province) {
        return new AddressClaim(province, null, null, null);
    }

    /**
     * The claimed levels, trimmed, top level first.
     *
     * @throws InvalidClaimException when no level is given, a level is blank, or a level is given below a missing one
     */
    List<String> levels() {
        List<String> given = new ArrayList<>(4);
        String[] values = {province, district, commune, village};
        boolean gap = false;
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value == null) {
                gap = true;
                continue;
            }
            String trimmed = value.strip();
            if (trimmed.isEmpty()) {
                throw new InvalidClaimException("claims.address." + LEVELS.get(i), "must not be blank");
            }
            if (gap) {
                throw new InvalidClaimException("claims.address." + LEVELS.get(i),
                        "an address level may be given only with every level above it");
            }
            given.add(trimmed);
        }
        if (given.isEmpty()) {
            throw new InvalidClaimException("claims.address", "must give at least the province");
        }
        return Collections.unmodifiableList(given);
    }
}
