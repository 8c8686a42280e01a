package kh.dds.billing.tariff;

/**
 * One step of a graduated tariff: the month's units of a product up to {@code upTo} (counted from the first unit of
 * the month; none for the last, open tier), each at {@code unitPrice} whole riel.
 */
public record Tier(Long upTo, long unitPrice) {

    public Tier {
        if (upTo != null && upTo <= 0) {
            throw new IllegalArgumentException("upTo must be positive, got " + upTo);
        }
        if (unitPrice < 0) {
            throw new IllegalArgumentException("unitPrice must not be negative, got " + unitPrice);
        }
    }
}
