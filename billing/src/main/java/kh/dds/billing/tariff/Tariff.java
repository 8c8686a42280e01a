package kh.dds.billing.tariff;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A tariff as the API's administrators set it (SPEC §4.8): per product, graduated tiers per calendar month. */
public record Tariff(UUID id, String name, String currency, Map<String, List<Tier>> products) {

    public Tariff {
        products = Map.copyOf(products);
        products.forEach(Tariff::checkTiers);
    }

    /** The product's tiers; empty when the tariff does not price it. */
    public List<Tier> tiers(String product) {
        return products.getOrDefault(product, List.of());
    }

    private static void checkTiers(String product, List<Tier> tiers) {
        long previous = 0;
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            boolean last = i == tiers.size() - 1;
            if (last ? tier.upTo() != null : tier.upTo() == null || tier.upTo() <= previous) {
                throw new IllegalArgumentException(product + ": tiers must rise strictly, the last one alone open");
            }
            previous = last ? previous : tier.upTo();
        }
    }
}
