package kh.dds.simulator.population;

import java.util.ArrayList;
import java.util.List;

/**
 * Names with their relative frequency. A name has a Latin spelling (upper case, as the registry writes it) and, for
 * Khmer names, its Khmer-script spelling ({@code null} for a foreign name).
 */
public final class NameTable {

    /** One name in both scripts. */
    public record Name(String latin, String khmer) {
    }

    private final List<Name> names;
    private final WeightedChoice choice;

    private NameTable(List<Name> names, double[] weights) {
        this.names = List.copyOf(names);
        this.choice = new WeightedChoice(weights);
    }

    /** Reads {@code latin, khmer, weight} triples (khmer may be {@code null}). */
    public static NameTable of(Object... triples) {
        if (triples.length % 3 != 0) {
            throw new IllegalArgumentException("expected latin, khmer, weight triples");
        }
        List<Name> names = new ArrayList<>();
        double[] weights = new double[triples.length / 3];
        for (int i = 0; i < triples.length; i += 3) {
            names.add(new Name((String) triples[i], (String) triples[i + 1]));
            weights[i / 3] = ((Number) triples[i + 2]).doubleValue();
        }
        return new NameTable(names, weights);
    }

    /** Latin-only names, equally weighted except for the leading ones given by {@code leadWeights}. */
    public static NameTable latin(double[] leadWeights, String... latinNames) {
        Object[] triples = new Object[latinNames.length * 3];
        for (int i = 0; i < latinNames.length; i++) {
            triples[i * 3] = latinNames[i];
            triples[i * 3 + 1] = null;
            triples[i * 3 + 2] = i < leadWeights.length ? leadWeights[i] : 1.0;
        }
        return of(triples);
    }

    public int size() {
        return names.size();
    }

    public Name get(int index) {
        return names.get(index);
    }

    public int pick(long hash) {
        return choice.pick(hash);
    }

    public double share(int index) {
        return choice.share(index);
    }
}
