package kh.dds.schema.kidc;

/** What the reserved first digit of a KIdC says about its holder. */
public enum KidcKind {
    CITIZEN('1'),
    FOREIGN_RESIDENT('2');

    private final char leadingDigit;

    KidcKind(char leadingDigit) {
        this.leadingDigit = leadingDigit;
    }

    public char leadingDigit() {
        return leadingDigit;
    }

    static KidcKind ofLeadingDigit(char digit) {
        for (KidcKind kind : values()) {
            if (kind.leadingDigit == digit) {
                return kind;
            }
        }
        return null;
    }
}
