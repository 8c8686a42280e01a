package kh.dds.disclosure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * For random small tables with many small counts, every suppressed value's feasible interval — computed exactly by a
 * linear program over the published values, the table's sums and non-negativity — is at least the protection level
 * wide. The minimum cell size and the protection level vary too, so that the protection level is not only the
 * minimum cell size.
 */
class ComplementarySuppressionTest {

    @Provide
    Arbitrary<int[][]> tables() {
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 12)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 200)));
        return Arbitraries.integers().between(1, 6).flatMap(rows -> Arbitraries.integers().between(1, 6)
                .flatMap(columns -> count.array(int[].class).ofSize(columns).array(int[][].class).ofSize(rows)));
    }

    @Provide
    Arbitrary<int[]> oneWayTables() {
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 12)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 200)));
        return count.array(int[].class).ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 400)
    void noSuppressedValueOfATwoWayTableCanBeNarrowedBelowTheProtectionLevel(@ForAll("tables") int[][] cells,
            @ForAll @IntRange(min = 2, max = 12) int minCellSize, @ForAll @IntRange(min = 1, max = 15) int protection) {
        ComplementarySuppression suppression = new ComplementarySuppression(minCellSize, protection);
        boolean[][] suppressed = suppression.twoWay(cells);
        long[][] x = ComplementarySuppression.extended(cells);
        int rows = x.length;
        int columns = x[0].length;
        long[] values = Arrays.stream(x).flatMapToLong(Arrays::stream).toArray();
        boolean[] hidden = new boolean[values.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                hidden[i * columns + j] = suppressed[i][j];
                if (suppression.sensitive((int) x[i][j])) {
                    assertTrue(suppressed[i][j], "a count below the minimum is published at " + i + "," + j);
                }
            }
        }
        List<FeasibleInterval.Sum> sums = twoWaySums(rows, columns);
        for (int v = 0; v < values.length; v++) {
            if (hidden[v]) {
                FeasibleInterval interval = FeasibleInterval.of(values, hidden, sums, v);
                assertTrue(interval.min() <= values[v] + 1e-6 && values[v] <= interval.max() + 1e-6);
                assertTrue(interval.width() >= protection - 1e-6, "value " + v + " of " + Arrays.deepToString(cells)
                        + " narrowed to " + interval + " under " + Arrays.deepToString(suppressed));
            }
        }
        assertArrayEquals(suppressed, suppression.twoWay(cells), "the same table gives the same pattern");
    }

    @Property(tries = 400)
    void noSuppressedValueOfAOneWayTableCanBeNarrowedBelowTheProtectionLevel(@ForAll("oneWayTables") int[] cells,
            @ForAll @IntRange(min = 2, max = 12) int minCellSize, @ForAll @IntRange(min = 1, max = 15) int protection) {
        ComplementarySuppression suppression = new ComplementarySuppression(minCellSize, protection);
        boolean[] suppressed = suppression.oneWay(cells);
        long[] values = new long[cells.length + 1];
        int[] indices = new int[cells.length + 1];
        int[] coefficients = new int[cells.length + 1];
        for (int i = 0; i < cells.length; i++) {
            values[i] = cells[i];
            values[cells.length] += cells[i];
            indices[i] = i;
            coefficients[i] = 1;
        }
        indices[cells.length] = cells.length;
        coefficients[cells.length] = -1;
        List<FeasibleInterval.Sum> sums = List.of(new FeasibleInterval.Sum(indices, coefficients));
        for (int v = 0; v < values.length; v++) {
            if (suppression.sensitive((int) values[v])) {
                assertTrue(suppressed[v], "a count below the minimum is published");
            }
            if (suppressed[v]) {
                FeasibleInterval interval = FeasibleInterval.of(values, suppressed, sums, v);
                assertTrue(interval.width() >= protection - 1e-6,
                        "value " + v + " of " + Arrays.toString(cells) + " narrowed to " + interval);
            }
        }
    }

    @Test
    void aLoneSmallCellTakesTheNextSmallestWithIt() {
        ComplementarySuppression suppression = new ComplementarySuppression(10, 10);
        assertArrayEquals(new boolean[] {true, false, true, false, false}, suppression.oneWay(new int[] {3, 40, 12, 50}));
        // two small cells whose sum is below the protection level bring a third
        assertArrayEquals(new boolean[] {true, true, true, false, false},
                suppression.oneWay(new int[] {2, 3, 20, 30}));
    }

    @Test
    void aSmallCellInATwoWayTableIsHiddenInARectangleOfCellsNotInItsMargins() {
        ComplementarySuppression suppression = new ComplementarySuppression(10, 10);
        int[][] cells = {{3, 40, 50}, {30, 45, 60}, {25, 70, 80}};
        boolean[][] suppressed = suppression.twoWay(cells);
        int hidden = 0;
        for (boolean[] row : suppressed) {
            for (boolean value : row) {
                hidden += value ? 1 : 0;
            }
        }
        assertEquals(4, hidden);
        // the cheapest rectangle: 40 + 30 + 45 published counts lost, the small cell free between 0 and 33
        assertTrue(suppressed[0][0] && suppressed[0][1] && suppressed[1][0] && suppressed[1][1]);
        assertFalse(suppressed[3][3], "the grand total stays published");
    }

    /** The extended table's sums: each row's cells less its total, each column's cells less its total, are 0. */
    private static List<FeasibleInterval.Sum> twoWaySums(int rows, int columns) {
        List<FeasibleInterval.Sum> sums = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int[] indices = new int[columns];
            int[] coefficients = new int[columns];
            for (int j = 0; j < columns; j++) {
                indices[j] = i * columns + j;
                coefficients[j] = j == columns - 1 ? -1 : 1;
            }
            sums.add(new FeasibleInterval.Sum(indices, coefficients));
        }
        for (int j = 0; j < columns; j++) {
            int[] indices = new int[rows];
            int[] coefficients = new int[rows];
            for (int i = 0; i < rows; i++) {
                indices[i] = i * columns + j;
                coefficients[i] = i == rows - 1 ? -1 : 1;
            }
            sums.add(new FeasibleInterval.Sum(indices, coefficients));
        }
        return sums;
    }
}
