package kh.dds.disclosure;

/**
 * One value of an answer as it is published: the perturbed count, or {@code null} with the reason it is withheld.
 *
 * @param count the perturbed count, {@code null} when suppressed
 * @param suppression why the count is withheld, {@link Suppression#NONE} when it is published
 */
public record PublishedCount(Integer count, Suppression suppression) {

    public enum Suppression {
        NONE,
        /** below the contract's minimum cell size */
        PRIMARY,
        /** withheld so that a primary cell cannot be computed from the answer's other values */
        COMPLEMENTARY
    }

    public PublishedCount {
        if ((count == null) != (suppression != Suppression.NONE)) {
            throw new IllegalArgumentException("a count is null exactly when it is suppressed");
        }
    }

    static PublishedCount of(int count, boolean primary, boolean suppressed) {
        if (primary) {
            return new PublishedCount(null, Suppression.PRIMARY);
        }
        return suppressed ? new PublishedCount(null, Suppression.COMPLEMENTARY) : new PublishedCount(count, Suppression.NONE);
    }

    public boolean suppressed() {
        return suppression != Suppression.NONE;
    }
}
