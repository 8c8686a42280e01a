package kh.dds.simulator.population;

import java.util.Arrays;

/** Picks an index with probability proportional to its weight, from a uniform number in [0, 1). */
public final class WeightedChoice {

    private final double[] cumulative;

    public WeightedChoice(double... weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("no weights");
        }
        cumulative = new double[weights.length];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0) {
                throw new IllegalArgumentException("negative weight at " + i);
            }
            total += weights[i];
            cumulative[i] = total;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("weights add up to nothing");
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= total;
        }
    }

    public int size() {
        return cumulative.length;
    }

    /** The share of index {@code i} in the whole. */
    public double share(int i) {
        return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
    }

    public int pick(double unit) {
        int at = Arrays.binarySearch(cumulative, unit);
        int index = at >= 0 ? at + 1 : -at - 1;
        // skip zero-weight entries that share a boundary, and guard the top end against rounding
        while (index < cumulative.length - 1 && share(index) == 0) {
            index++;
        }
        return Math.min(index, cumulative.length - 1);
    }

    public int pick(long hash) {
        return pick(SeededHash.unit(hash));
    }
}
