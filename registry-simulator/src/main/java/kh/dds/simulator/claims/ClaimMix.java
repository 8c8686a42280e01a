package kh.dds.simulator.claims;

/**
 * The shares of the three kinds of verification request a relying party sends: claims that match the registry,
 * claims that match only in part, and claims that do not match. Given as whole-number weights
 * {@code match,partial,mismatch} (e.g. {@code 70,15,15}); they need not add up to 100.
 */
public record ClaimMix(int match, int partial, int mismatch) {

    public static final String DEFAULT_SPEC = "70,15,15";

    public ClaimMix {
        if (match < 0 || partial < 0 || mismatch < 0 || match + partial + mismatch == 0) {
            throw new IllegalArgumentException("the mix needs three weights >= 0, not all 0");
        }
    }

    /** Parses {@code match,partial,mismatch}; throws IllegalArgumentException for anything else. */
    public static ClaimMix parse(String spec) {
        String[] parts = spec.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("--mix takes three weights match,partial,mismatch, got '" + spec + "'");
        }
        int[] weights = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                weights[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix weights are whole numbers, got '" + spec + "'");
            }
        }
        return new ClaimMix(weights[0], weights[1], weights[2]);
    }

    /** The kind of request for a uniform draw {@code u} in [0, 1). */
    public ClaimKind kind(double u) {
        double total = match + partial + mismatch;
        if (u < match / total) {
            return ClaimKind.MATCH;
        }
        if (u < (match + partial) / total) {
            return ClaimKind.PARTIAL;
        }
        return ClaimKind.MISMATCH;
    }

    public double share(ClaimKind kind) {
        double total = match + partial + mismatch;
        return switch (kind) {
            case MATCH -> match / total;
            case PARTIAL -> partial / total;
            case MISMATCH -> mismatch / total;
        };
    }

    @Override
    public String toString() {
        return match + "," + partial + "," + mismatch;
    }

    /** What the claims of one request are meant to get from the matcher, on the record as the snapshot holds it. */
    public enum ClaimKind {
        /** every claim as registered: decision {@code MATCH} */
        MATCH,
        /** one name a close Latin transliteration, or the birth date at another precision: {@code PARTIAL_MATCH} */
        PARTIAL,
        /** another person's names, or a wrong birth date: {@code NO_MATCH} */
        MISMATCH
    }
}
