package kh.dds.disclosure;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * What an attacker can learn of a suppressed value from the rest of its table: the least and the greatest value it
 * can take when every published value is fixed, every sum of the table holds and every count is non-negative, found
 * by commons-math3's simplex solver (an exact method, independent of the heuristic under test).
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
        int[] variable = new int[values.length];
        // the target is variable 0: commons-math3 3.6.1's simplex, after its first phase, can drop a column and hold
        // that variable at 0 (seen here on x0 + x1 + x2 = 3, maximising x1 gave 0); a dropped column only narrows the
        // feasible set, so it can make this test fail wrongly but never pass wrongly, and the target is never dropped
        int variables = 1;
        for (int v = 0; v < values.length; v++) {
            variable[v] = v == target ? 0 : suppressed[v] ? variables++ : -1;
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        for (Sum sum : sums) {
            double[] row = new double[variables];
            double constant = 0;
            boolean hasVariable = false;
            for (int k = 0; k < sum.indices().length; k++) {
                int index = sum.indices()[k];
                if (suppressed[index]) {
                    row[variable[index]] += sum.coefficients()[k];
                    hasVariable = true;
                } else {
                    constant -= sum.coefficients()[k] * (double) values[index];
                }
            }
            if (hasVariable) {
                constraints.add(new LinearConstraint(row, Relationship.EQ, constant));
            }
        }
        double[] objective = new double[variables];
        objective[variable[target]] = 1;
        double min = solve(objective, constraints, GoalType.MINIMIZE);
        double max;
        try {
            max = solve(objective, constraints, GoalType.MAXIMIZE);
        } catch (UnboundedSolutionException e) {
            max = Double.POSITIVE_INFINITY;
        }
        return new FeasibleInterval(min, max);
    }

    private static double solve(double[] objective, List<LinearConstraint> constraints, GoalType goal) {
        if (constraints.isEmpty()) {
            if (goal == GoalType.MAXIMIZE) {
                throw new UnboundedSolutionException();
            }
            return 0;
        }
        return new SimplexSolver().optimize(new MaxIter(10_000), new LinearObjectiveFunction(objective, 0),
                new LinearConstraintSet(constraints), goal, new NonNegativeConstraint(true)).getValue();
    }
}
