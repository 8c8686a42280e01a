package kh.dds.disclosure;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the cells of an answer into what may be published: every count, margins and totals included, perturbed by
 * the cell key method as a cell of its own; then counts below the minimum cell size suppressed; then the
 * complementary cells.
 *
 * <p>Perturbation comes first, as in the ABS TableBuilder: whether a count is suppressed is then decided on a value
 * that already carries noise, so the suppression flag does not tell an attacker that the true count crossed the
 * threshold between two answers, and a published value and its flag always agree.
 *
 * <p>A margin is perturbed as its own cell (its key is the sum of its persons' record keys, like any cell's), not
 * summed from the perturbed cells: the same persons then get the same published count in every answer — the province
 * total of a table by sex is the answer to the province alone — which is what defeats differencing between answers.
 * The price is additivity: a published margin can differ from the sum of its published cells by up to the largest
 * perturbation times the number of cells plus one. Complementary suppression is chosen on the table of the perturbed
 * cells with their sums as margins (the additive table nearest to what is published); the perturbed margins only add
 * uncertainty on top.
 *
 * @param perturbation the perturbation table
 * @param minCellSize the contract's minimum cell size (the SPEC's default is 10)
 * @param protectionLevel the least width of a suppressed cell's feasible interval
 */
public record DisclosureControl(PerturbationTable perturbation, int minCellSize, int protectionLevel) {

    /** The contract's minimum cell size as the protection level: a suppressed cell stays as uncertain as a cell. */
    public static DisclosureControl withDefaults(PerturbationTable perturbation, int minCellSize) {
        return new DisclosureControl(perturbation, minCellSize, minCellSize);
    }

    private ComplementarySuppression suppression() {
        return new ComplementarySuppression(minCellSize, protectionLevel);
    }

    /** A one-value answer (a count with filters and no grouping). */
    public PublishedCount publish(Cell cell) {
        int value = perturbation.perturb(cell);
        boolean primary = suppression().sensitive(value);
        return PublishedCount.of(value, primary, primary);
    }

    /** A one-way answer: its cells, then its total. */
    public List<PublishedCount> publishOneWay(List<Cell> cells) {
        int n = cells.size();
        int[] values = new int[n];
        boolean[] primary = new boolean[n + 1];
        Cell total = Cell.EMPTY;
        for (int i = 0; i < n; i++) {
            values[i] = perturbation.perturb(cells.get(i));
            primary[i] = suppression().sensitive(values[i]);
            total = total.plus(cells.get(i), perturbation.keyRange());
        }
        int totalValue = perturbation.perturb(total);
        primary[n] = suppression().sensitive(totalValue);
        boolean[] suppressed = suppression().oneWay(values, primary);
        List<PublishedCount> published = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            published.add(PublishedCount.of(values[i], primary[i], suppressed[i]));
        }
        published.add(PublishedCount.of(totalValue, primary[n], suppressed[n]));
        return List.copyOf(published);
    }

    /**
     * A two-way answer, extended by its margins: {@code result.get(i).get(j)} with row totals in the last column,
     * column totals in the last row and the grand total in the corner.
     */
    public List<List<PublishedCount>> publishTwoWay(Cell[][] cells) {
        int r = cells.length;
        int c = cells[0].length;
        Cell[][] extended = new Cell[r + 1][c + 1];
        for (Cell[] row : extended) {
            java.util.Arrays.fill(row, Cell.EMPTY);
        }
        int keyRange = perturbation.keyRange();
        int[][] values = new int[r][c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                Cell cell = cells[i][j];
                extended[i][j] = cell;
                extended[i][c] = extended[i][c].plus(cell, keyRange);
                extended[r][j] = extended[r][j].plus(cell, keyRange);
                extended[r][c] = extended[r][c].plus(cell, keyRange);
                values[i][j] = perturbation.perturb(cell);
            }
        }
        int[][] published = new int[r + 1][c + 1];
        boolean[][] primary = new boolean[r + 1][c + 1];
        for (int i = 0; i <= r; i++) {
            for (int j = 0; j <= c; j++) {
                published[i][j] = perturbation.perturb(extended[i][j]);
                primary[i][j] = suppression().sensitive(published[i][j]);
            }
        }
        boolean[][] suppressed = suppression().twoWay(values, primary);
        List<List<PublishedCount>> answer = new ArrayList<>();
        for (int i = 0; i <= r; i++) {
            List<PublishedCount> row = new ArrayList<>();
            for (int j = 0; j <= c; j++) {
                row.add(PublishedCount.of(published[i][j], primary[i][j], suppressed[i][j]));
            }
            answer.add(List.copyOf(row));
        }
        return List.copyOf(answer);
    }
}
