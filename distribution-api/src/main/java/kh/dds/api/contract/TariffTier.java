package kh.dds.api.contract;

/**
 * One tier of a graduated monthly tariff: calls beyond the previous tier and up to {@code upTo} (that month, that
 * product) cost {@code unitPrice} riel each. {@code upTo} is {@code null} for the last, open tier.
 */
public record TariffTier(Long upTo, long unitPrice) {
}
