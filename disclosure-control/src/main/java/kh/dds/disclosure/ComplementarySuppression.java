package kh.dds.disclosure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the cells to suppress in a one- or two-way table published with its margins and total: the primary cells
 * (a published count above 0 and below the minimum cell size) and the complementary cells needed so that no
 * suppressed value can be computed, or narrowed to an interval narrower than the protection level, from the values
 * that remain published, the table's sums and non-negativity.
 *
 * <p>The one-way rule is exact: with the total published, a suppressed cell can take any value from 0 to the sum of
 * the suppressed cells, so that sum must reach the protection level over at least two cells; failing that, the total
 * is suppressed too.
 *
 * <p>The two-way rule is the classic one on the table extended by its margins (an (r+1)×(c+1) array in which the
 * margins are counted with the opposite sign, so that every row and column sums to zero): four suppressed cells at
 * the corners of a rectangle can move by +t, −t, −t, +t without changing any sum, so each corner's feasible interval
 * is at least as wide as the range of t that keeps every corner non-negative. Every suppressed cell gets such a
 * rectangle of width at least the protection level: the cheapest one (least published count lost, then fewest new
 * cells, then the first in row and column order); a rectangle through the cell's row total, column total and the
 * grand total always exists and leaves the cell unbounded above, so the search always ends. Suppressing more only
 * widens the other intervals, so a protection once given is never taken away. Same table, same pattern.
 *
 * <p>What it does not do: it does not minimise the information lost (an optimal pattern is an integer program; the
 * heuristic can suppress more than needed), and it protects the cells of one table, not a cell against another
 * answer that groups the same persons differently (see the README).
 *
 * @param minCellSize published counts above 0 and below this are suppressed
 * @param protectionLevel the least width of every suppressed cell's feasible interval
 */
public record ComplementarySuppression(int minCellSize, int protectionLevel) {

    private static final long UNBOUNDED = Long.MAX_VALUE / 4;

    public ComplementarySuppression {
        if (minCellSize < 1 || protectionLevel < 1) {
            throw new IllegalArgumentException("the minimum cell size and the protection level are at least 1");
        }
    }

    /** A count that may not be published: above 0 (nobody is not a person) and below the minimum cell size. */
    public boolean sensitive(int count) {
        return count > 0 && count < minCellSize;
    }

    /** The suppression of a one-way table whose total is the sum of its cells: cells, then the total. */
    public boolean[] oneWay(int[] cells) {
        int total = Arrays.stream(cells).sum();
        boolean[] primary = new boolean[cells.length + 1];
        for (int i = 0; i < cells.length; i++) {
            primary[i] = sensitive(cells[i]);
        }
        primary[cells.length] = sensitive(total);
        return oneWay(cells, primary);
    }

    /**
     * The suppression of a one-way table given which of its values (cells, then the total) are primary: the
     * {@code primary} mask comes from the published values, which under perturbation are not the cells' sums.
     */
    public boolean[] oneWay(int[] cells, boolean[] primary) {
        int n = cells.length;
        if (n == 0 || primary.length != n + 1) {
            throw new IllegalArgumentException("a one-way table has cells and a total");
        }
        boolean[] suppressed = primary.clone();
        List<Integer> candidates = new ArrayList<>();
        int suppressedCells = 0;
        long suppressedSum = 0;
        for (int i = 0; i < n; i++) {
            if (suppressed[i]) {
                suppressedCells++;
                suppressedSum += cells[i];
            } else {
                candidates.add(i);
            }
        }
        if (suppressedCells == 0 && !suppressed[n]) {
            return suppressed;
        }
        candidates.sort(Comparator.<Integer>comparingInt(i -> cells[i]).thenComparingInt(i -> i));
        if (suppressed[n]) {
            // the total hidden: one hidden cell is enough for every hidden value to be unbounded above
            if (suppressedCells == 0) {
                suppressed[candidates.get(0)] = true;
            }
            return suppressed;
        }
        for (int i : candidates) {
            if (suppressedCells >= 2 && suppressedSum >= protectionLevel) {
                break;
            }
            suppressed[i] = true;
            suppressedCells++;
            suppressedSum += cells[i];
        }
        if (suppressedCells < 2 || suppressedSum < protectionLevel) {
            suppressed[n] = true;
        }
        return suppressed;
    }

    /**
     * The suppression of a two-way table with its margins, as an (r+1)×(c+1) mask: the cells, each row's total in
     * the last column, each column's total in the last row, the grand total in the corner.
     */
    public boolean[][] twoWay(int[][] cells) {
        long[][] x = extended(cells);
        boolean[][] primary = new boolean[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                primary[i][j] = x[i][j] > 0 && x[i][j] < minCellSize;
            }
        }
        return twoWay(cells, primary);
    }

    /** As {@link #twoWay(int[][])}, given the primary mask over the extended table (from the published values). */
    public boolean[][] twoWay(int[][] cells, boolean[][] primary) {
        long[][] x = extended(cells);
        int rows = x.length;
        int columns = x[0].length;
        if (primary.length != rows || Arrays.stream(primary).anyMatch(row -> row.length != columns)) {
            throw new IllegalArgumentException("the primary mask covers the table and its margins");
        }
        boolean[][] suppressed = Arrays.stream(primary).map(boolean[]::clone).toArray(boolean[][]::new);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int[] cell : inOrder(x, suppressed)) {
                if (!isProtected(x, suppressed, cell[0], cell[1])) {
                    int[] corner = cheapestRectangle(x, suppressed, cell[0], cell[1]);
                    suppressed[cell[0]][corner[1]] = true;
                    suppressed[corner[0]][cell[1]] = true;
                    suppressed[corner[0]][corner[1]] = true;
                    changed = true;
                }
            }
        }
        return suppressed;
    }

    /** The table with its margins: row totals in the last column, column totals in the last row. */
    static long[][] extended(int[][] cells) {
        int r = cells.length;
        if (r == 0 || cells[0].length == 0 || Arrays.stream(cells).anyMatch(row -> row.length != cells[0].length)) {
            throw new IllegalArgumentException("a two-way table is a non-empty rectangle");
        }
        int c = cells[0].length;
        long[][] x = new long[r + 1][c + 1];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                if (cells[i][j] < 0) {
                    throw new IllegalArgumentException("counts are never negative");
                }
                x[i][j] = cells[i][j];
                x[i][c] += cells[i][j];
                x[r][j] += cells[i][j];
                x[r][c] += cells[i][j];
            }
        }
        return x;
    }

    /** Suppressed cells, smallest count first, then by row and column: the order that makes the result unique. */
    private static List<int[]> inOrder(long[][] x, boolean[][] suppressed) {
        List<int[]> cells = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                if (suppressed[i][j]) {
                    cells.add(new int[] {i, j});
                }
            }
        }
        cells.sort(Comparator.<int[]>comparingLong(c -> x[c[0]][c[1]])
                .thenComparingInt(c -> c[0]).thenComparingInt(c -> c[1]));
        return cells;
    }

    private boolean isProtected(long[][] x, boolean[][] suppressed, int i, int j) {
        for (int i2 = 0; i2 < x.length; i2++) {
            for (int j2 = 0; j2 < x[0].length; j2++) {
                if (i2 != i && j2 != j && suppressed[i][j2] && suppressed[i2][j] && suppressed[i2][j2]
                        && width(x, i, j, i2, j2) >= protectionLevel) {
                    return true;
                }
            }
        }
        return false;
    }

    private int[] cheapestRectangle(long[][] x, boolean[][] suppressed, int i, int j) {
        int[] best = null;
        long bestCost = Long.MAX_VALUE;
        int bestNew = Integer.MAX_VALUE;
        for (int i2 = 0; i2 < x.length; i2++) {
            for (int j2 = 0; j2 < x[0].length; j2++) {
                if (i2 == i || j2 == j || width(x, i, j, i2, j2) < protectionLevel) {
                    continue;
                }
                long cost = 0;
                int added = 0;
                for (int[] corner : new int[][] {{i, j2}, {i2, j}, {i2, j2}}) {
                    if (!suppressed[corner[0]][corner[1]]) {
                        cost += x[corner[0]][corner[1]];
                        added++;
                    }
                }
                if (cost < bestCost || (cost == bestCost && added < bestNew)) {
                    best = new int[] {i2, j2};
                    bestCost = cost;
                    bestNew = added;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("the rectangle through the margins always protects; none found");
        }
        return best;
    }

    /**
     * The range of t over which the rectangle's corners can move (+t at (i,j) and (i2,j2), −t at the other two, in
     * the zero-sum table where margins count negatively) with every count staying non-negative.
     */
    static long width(long[][] x, int i, int j, int i2, int j2) {
        int[][] corners = {{i, j, 1}, {i, j2, -1}, {i2, j, -1}, {i2, j2, 1}};
        long rise = UNBOUNDED;
        long fall = UNBOUNDED;
        for (int[] corner : corners) {
            int direction = corner[2] * sign(x, corner[0], corner[1]);
            long value = x[corner[0]][corner[1]];
            if (direction < 0) {
                rise = Math.min(rise, value);
            } else {
                fall = Math.min(fall, value);
            }
        }
        return Math.min(UNBOUNDED, rise + fall);
    }

    /** −1 for a row or column total (it moves against its cells), +1 for a cell and for the grand total. */
    private static int sign(long[][] x, int i, int j) {
        boolean totalRow = i == x.length - 1;
        boolean totalColumn = j == x[0].length - 1;
        return totalRow ^ totalColumn ? -1 : 1;
    }
}
