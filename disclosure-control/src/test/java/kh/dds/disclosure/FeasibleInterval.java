package kh.dds.disclosure;

import java.util.List;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * What an attacker can learn of a suppressed value from the rest of its table: the least and the greatest value it
 * can take when every published value is fixed, every sum of the table holds and every count is non-negative, found
 * by ojAlgo's linear-programming solver (an exact method, independent of the heuristic under test).
 *
 * @param min the least feasible value
 * @param max the greatest, {@link Double#POSITIVE_INFINITY} when nothing bounds it above
 */
record FeasibleInterval(double min, double max) {

    double width() {
        return max - min;
    }

    /** One linear equation over the table's values: coefficients by value index, equal to 0. */
    record Sum(int[] indices, int[] coefficients) {
    }

    /**
     * The interval of value {@code target} among {@code values}, of which those not {@code suppressed} are published,
     * under the table's {@code sums} (each Σ coefficient·value = 0).
     */
    static FeasibleInterval of(long[] values, boolean[] suppressed, List<Sum> sums, int target) {
        // a ceiling far above any value the table can hold: ojAlgo reports no value for an unbounded problem, so a
        // maximum that reaches the ceiling stands for "unbounded"
        double ceiling = 1_000_000;
        for (long value : values) {
            ceiling += 10.0 * Math.abs(value);
        }
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        Variable[] variable = new Variable[values.length];
        for (int v = 0; v < values.length; v++) {
            if (suppressed[v] || v == target) {
                variable[v] = model.addVariable("x" + v).lower(0).upper(ceiling);
            }
        }
        int equation = 0;
        for (Sum sum : sums) {
            double constant = 0;
            double[] coefficient = new double[values.length];
            boolean hasVariable = false;
            for (int k = 0; k < sum.indices().length; k++) {
                int index = sum.indices()[k];
                if (variable[index] != null) {
                    coefficient[index] += sum.coefficients()[k];
                    hasVariable = true;
                } else {
                    constant -= sum.coefficients()[k] * (double) values[index];
                }
            }
            if (hasVariable) {
                Expression expression = model.addExpression("sum" + equation++).level(constant);
                for (int v = 0; v < values.length; v++) {
                    if (coefficient[v] != 0) {
                        expression.set(variable[v], coefficient[v]);
                    }
                }
            }
        }
        variable[target].weight(1);
        Optimisation.Result least = model.minimise();
        Optimisation.Result greatest = model.maximise();
        if (!least.getState().isOptimal()) {
            throw new IllegalStateException("the published table admits no value: " + least.getState());
        }
        if (!greatest.getState().isOptimal()) {
            throw new IllegalStateException("no greatest value found: " + greatest.getState());
        }
        double max = greatest.getValue() >= ceiling - 0.5 ? Double.POSITIVE_INFINITY : greatest.getValue();
        return new FeasibleInterval(least.getValue(), max);
    }
}
