package kh.dds.schema.kidc;

import java.util.random.RandomGenerator;

/**
 * A Khmer Identification Code: ten decimal digits, always a string. Digit 1 is {@code 1} for a Cambodian citizen or
 * {@code 2} for a foreign resident, digits 2–9 are random, digit 10 is a modulus 11 check digit. A prefix whose check
 * digit would be 10 is never issued.
 */
public record Kidc(String value) implements Comparable<Kidc> {

    private static final int[] WEIGHTS = {10, 9, 8, 7, 6, 5, 4, 3, 2};

    public Kidc {
        String problem = problemWith(value);
        if (problem != null) {
            throw new InvalidKidcException(value, problem);
        }
    }

    /** Parses a code, throwing {@link InvalidKidcException} with the reason when it is malformed. */
    public static Kidc parse(String value) {
        return new Kidc(value);
    }

    public static boolean isValid(String value) {
        return problemWith(value) == null;
    }

    /** Why {@code value} is not a KIdC, or {@code null} when it is one. */
    public static String problemWith(String value) {
        if (value == null) {
            return "missing";
        }
        if (value.length() != 10) {
            return "must be 10 digits, got " + value.length() + " characters";
        }
        for (int i = 0; i < 10; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return "must contain only the digits 0-9";
            }
        }
        if (KidcKind.ofLeadingDigit(value.charAt(0)) == null) {
            return "first digit must be 1 (citizen) or 2 (foreign resident)";
        }
        int check = checkDigit(value.substring(0, 9));
        if (check == 10) {
            return "prefix is never issued (its check digit would be 10)";
        }
        if (check != value.charAt(9) - '0') {
            return "check digit does not match";
        }
        return null;
    }

    /**
     * The modulus 11 check digit of a nine-digit prefix: s = Σ d_i·w_i with weights 10..2, c = (11 − s mod 11) mod 11.
     * Returns 10 for a prefix that is never issued.
     */
    public static int checkDigit(CharSequence prefix) {
        if (prefix.length() != 9) {
            throw new IllegalArgumentException("a KIdC prefix has 9 digits");
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            int digit = prefix.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("a KIdC prefix has only digits");
            }
            sum += digit * WEIGHTS[i];
        }
        return (11 - sum % 11) % 11;
    }

    /** Completes a nine-digit prefix with its check digit, or returns {@code null} when that prefix is never issued. */
    public static Kidc fromPrefix(CharSequence prefix) {
        int check = checkDigit(prefix);
        return check == 10 ? null : new Kidc(prefix.toString() + check);
    }

    /** A random code of the given kind; random prefixes whose check digit would be 10 are drawn again. */
    public static Kidc random(RandomGenerator random, KidcKind kind) {
        StringBuilder prefix = new StringBuilder(9);
        while (true) {
            prefix.setLength(0);
            prefix.append(kind.leadingDigit());
            for (int i = 0; i < 8; i++) {
                prefix.append((char) ('0' + random.nextInt(10)));
            }
            Kidc kidc = fromPrefix(prefix);
            if (kidc != null) {
                return kidc;
            }
        }
    }

    public KidcKind kind() {
        return KidcKind.ofLeadingDigit(value.charAt(0));
    }

    @Override
    public int compareTo(Kidc other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
