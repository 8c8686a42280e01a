package kh.dds.billing.tariff;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Prices one product's calendar month with graduated tiers, in whole riel and integer arithmetic only.
 *
 * <p>Tiers count the month's units from the first: the {@code n}-th billable call of the month is priced by the
 * tier whose range holds {@code n}. When the contract's tariff changes during the month, each day's calls are
 * priced by the tariff in effect that day, still at the position they take in the month's count. A day without a
 * tariff, or a tariff without the product, meters at price 0 (SPEC §4.7: a tariff of 0 still meters).
 */
public final class GraduatedPricing {

    /** A day's billable units of the product and the tariff in effect that day (null: none). */
    public record Day(LocalDate day, long units, Tariff tariff) {

        public Day {
            if (units < 0) {
                throw new IllegalArgumentException("units must not be negative");
            }
        }
    }

    /**
     * Units priced at one tier of one tariff. {@code tier} counts from 1 (0: unpriced, no tariff); the tier covers the
     * month's units above {@code tierFrom} up to {@code tierUpTo} (null: no upper bound).
     */
    public record Line(String product, UUID tariffId, int tier, long tierFrom, Long tierUpTo, long units,
                       long unitPrice) {

        public long amount() {
            return Math.multiplyExact(units, unitPrice);
        }
    }

    private GraduatedPricing() {
    }

    /** The month's lines for {@code product}, {@code days} in date order; lines in the order they were reached. */
    public static List<Line> price(String product, List<Day> days) {
        Map<LineKey, long[]> units = new LinkedHashMap<>();
        long counted = 0;
        for (Day day : days) {
            long remaining = day.units();
            List<Tier> tiers = day.tariff() == null ? List.of() : day.tariff().tiers(product);
            UUID tariffId = day.tariff() == null ? null : day.tariff().id();
            while (remaining > 0) {
                if (tiers.isEmpty()) {
                    units.computeIfAbsent(new LineKey(tariffId, 0, 0, null, 0), key -> new long[1])[0] += remaining;
                    counted += remaining;
                    break;
                }
                int index = 0;
                while (tiers.get(index).upTo() != null && counted >= tiers.get(index).upTo()) {
                    index++;
                }
                Tier tier = tiers.get(index);
                long take = tier.upTo() == null ? remaining : Math.min(remaining, tier.upTo() - counted);
                long from = index == 0 ? 0 : tiers.get(index - 1).upTo();
                units.computeIfAbsent(new LineKey(tariffId, index + 1, from, tier.upTo(), tier.unitPrice()),
                        key -> new long[1])[0] += take;
                counted += take;
                remaining -= take;
            }
        }
        List<Line> lines = new ArrayList<>(units.size());
        units.forEach((key, count) -> lines.add(new Line(product, key.tariffId, key.tier, key.from, key.upTo,
                count[0], key.unitPrice)));
        return lines;
    }

    /** The total of {@code lines}, overflow-checked. */
    public static long total(List<Line> lines) {
        long total = 0;
        for (Line line : lines) {
            total = Math.addExact(total, line.amount());
        }
        return total;
    }

    private record LineKey(UUID tariffId, int tier, long from, Long upTo, long unitPrice) {
    }
}
