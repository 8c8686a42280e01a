package kh.dds.billing.tariff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The tier arithmetic against the plainest reference there is: price the month's calls one by one, the n-th call
 * at the tier that holds n under the tariff of its day.
 */
class GraduatedPricingPropertiesTest {

    private static final String PRODUCT = "VERIFY";

    /** Unit by unit: the definition itself. */
    private static long reference(List<GraduatedPricing.Day> days) {
        long total = 0;
        long n = 0;
        for (GraduatedPricing.Day day : days) {
            for (long i = 0; i < day.units(); i++) {
                n++;
                long price = 0;
                if (day.tariff() != null) {
                    for (Tier tier : day.tariff().tiers(PRODUCT)) {
                        if (tier.upTo() == null || n <= tier.upTo()) {
                            price = tier.unitPrice();
                            break;
                        }
                    }
                }
                total += price;
            }
        }
        return total;
    }

    @Property(tries = 500)
    void linesPriceExactlyWhatUnitByUnitPricingGives(@ForAll("months") List<GraduatedPricing.Day> days) {
        List<GraduatedPricing.Line> lines = GraduatedPricing.price(PRODUCT, days);
        assertEquals(reference(days), GraduatedPricing.total(lines));
        assertEquals(days.stream().mapToLong(GraduatedPricing.Day::units).sum(),
                lines.stream().mapToLong(GraduatedPricing.Line::units).sum(), "every unit on exactly one line");
        for (GraduatedPricing.Line line : lines) {
            assertTrue(line.units() > 0, "no empty line");
            assertEquals(line.units() * line.unitPrice(), line.amount());
            if (line.tierUpTo() != null) {
                assertTrue(line.units() <= line.tierUpTo() - line.tierFrom(), "a tier holds no more than its range");
            }
        }
    }

    @Property(tries = 200)
    void splittingADayInTwoChangesNothing(@ForAll("months") List<GraduatedPricing.Day> days) {
        List<GraduatedPricing.Day> split = new ArrayList<>();
        for (GraduatedPricing.Day day : days) {
            long half = day.units() / 2;
            split.add(new GraduatedPricing.Day(day.day(), half, day.tariff()));
            split.add(new GraduatedPricing.Day(day.day(), day.units() - half, day.tariff()));
        }
        assertEquals(GraduatedPricing.total(GraduatedPricing.price(PRODUCT, days)),
                GraduatedPricing.total(GraduatedPricing.price(PRODUCT, split)));
    }

    @Example
    void theSpecsExample() {
        Tariff tariff = tariff(List.of(new Tier(100_000L, 400), new Tier(null, 250)));
        List<GraduatedPricing.Line> lines = GraduatedPricing.price(PRODUCT,
                List.of(new GraduatedPricing.Day(LocalDate.of(2026, 11, 1), 60_000, tariff),
                        new GraduatedPricing.Day(LocalDate.of(2026, 11, 2), 60_000, tariff)));
        assertEquals(2, lines.size());
        assertEquals(100_000, lines.get(0).units());
        assertEquals(40_000_000, lines.get(0).amount());
        assertEquals(20_000, lines.get(1).units());
        assertEquals(5_000_000, lines.get(1).amount());
        assertEquals(100_000, lines.get(1).tierFrom());
    }

    @Example
    void aTariffChangedMidMonthKeepsTheMonthsCount() {
        Tariff before = tariff(List.of(new Tier(10L, 100), new Tier(null, 50)));
        Tariff after = tariff(List.of(new Tier(10L, 80), new Tier(null, 40)));
        List<GraduatedPricing.Line> lines = GraduatedPricing.price(PRODUCT,
                List.of(new GraduatedPricing.Day(LocalDate.of(2026, 11, 1), 6, before),
                        new GraduatedPricing.Day(LocalDate.of(2026, 11, 15), 6, after)));
        // 6 at 100, then 4 more of the first ten at 80, then 2 beyond ten at 40
        assertEquals(6 * 100 + 4 * 80 + 2 * 40, GraduatedPricing.total(lines));
    }

    @Example
    void noTariffMetersAtZero() {
        List<GraduatedPricing.Line> lines = GraduatedPricing.price(PRODUCT,
                List.of(new GraduatedPricing.Day(LocalDate.of(2026, 11, 1), 7, null)));
        assertEquals(1, lines.size());
        assertEquals(7, lines.get(0).units());
        assertEquals(0, lines.get(0).amount());
        assertEquals(0, lines.get(0).tier());
    }

    @Provide
    Arbitrary<List<GraduatedPricing.Day>> months() {
        // a few tariffs per month, reused across days (a change mid-month), and now and then a day without one
        Arbitrary<Tariff> tariffs = Arbitraries.frequencyOf(
                Tuple.of(9, tiers().map(GraduatedPricingPropertiesTest::tariff)), Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<Long> units = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(0, 30)),
                Tuple.of(1, Arbitraries.longs().between(0, 400)));
        return tariffs.list().ofMinSize(1).ofMaxSize(3).flatMap(chosen -> Combinators.combine(units,
                        Arbitraries.integers().between(0, chosen.size() - 1)).as((n, which) -> new Object[] {n, which})
                .list().ofMinSize(1).ofMaxSize(31)
                .map(picks -> {
                    List<GraduatedPricing.Day> days = new ArrayList<>();
                    for (int i = 0; i < picks.size(); i++) {
                        days.add(new GraduatedPricing.Day(LocalDate.of(2026, 12, 1).plusDays(i),
                                (Long) picks.get(i)[0], chosen.get((Integer) picks.get(i)[1])));
                    }
                    return days;
                }));
    }

    private static Arbitrary<List<Tier>> tiers() {
        return Arbitraries.longs().between(1, 60).list().ofMinSize(0).ofMaxSize(4)
                .flatMap(widths -> Arbitraries.longs().between(0, 1_000).list().ofSize(widths.size() + 1)
                        .map(prices -> {
                            List<Tier> tiers = new ArrayList<>();
                            long upTo = 0;
                            for (int i = 0; i < widths.size(); i++) {
                                upTo += widths.get(i);
                                tiers.add(new Tier(upTo, prices.get(i)));
                            }
                            tiers.add(new Tier(null, prices.get(widths.size())));
                            return tiers;
                        }));
    }

    private static Tariff tariff(List<Tier> tiers) {
        Map<String, List<Tier>> products = new LinkedHashMap<>();
        products.put(PRODUCT, tiers);
        return new Tariff(UUID.randomUUID(), "test", "KHR", products);
    }
}
