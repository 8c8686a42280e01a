package kh.dds.disclosure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The cell key method's perturbation table: for a cell's count (rows {@code 0..largestRow}, the last row serving
 * every larger count) and its cell key (columns {@code 0..keyRange-1}), the amount added to the count before it is
 * published.
 *
 * <p>A row is written as the share of the key range given to each perturbation, in the order the keys take them:
 * {@code count,perturbation,keys}, one line each; a row's keys add up to the key range. Because cell keys are uniform,
 * a row's keys are its perturbation's probability distribution (times the key range). Parsing refuses a table that
 * would publish a negative count, perturb a count of 0 or leave a key without a perturbation: these hold for any
 * configured table, not only the default one.
 *
 * @param keyRange the record and cell key range, a power of two
 * @param rows {@code rows.get(c)[k]}: the perturbation of count {@code c} (or of every count from the last row on)
 *             under cell key {@code k}
 */
public record PerturbationTable(int keyRange, List<int[]> rows) {

    /** The table shipped with the module; see {@code default-perturbation-table.csv} for its reasoning. */
    public static final String DEFAULT_RESOURCE = "default-perturbation-table.csv";

    public PerturbationTable {
        rows = List.copyOf(rows.stream().map(int[]::clone).toList());
        if (rows.size() < 2) {
            throw new IllegalArgumentException("a perturbation table needs a row for count 0 and at least one more");
        }
        for (int count = 0; count < rows.size(); count++) {
            int[] row = rows.get(count);
            if (row.length != keyRange) {
                throw new IllegalArgumentException("row " + count + " covers " + row.length + " keys, not " + keyRange);
            }
            for (int perturbation : row) {
                if (count == 0 && perturbation != 0) {
                    throw new IllegalArgumentException("a count of 0 is never perturbed");
                }
                if (count + perturbation < 0) {
                    throw new IllegalArgumentException("row " + count + " would publish a negative count");
                }
            }
        }
    }

    /** The default table, read from this module's class path. */
    public static PerturbationTable defaultTable() {
        try (InputStream in = PerturbationTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code count,perturbation,keys} lines ({@code #} starts a comment). Rows must be 0, 1, 2, … with no gap;
     * the key range is the sum of row 0's keys.
     */
    public static PerturbationTable parse(String text) {
        TreeMap<Integer, List<int[]>> entries = new TreeMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length != 3) {
                throw new IllegalArgumentException("expected count,perturbation,keys: " + line);
            }
            int count = Integer.parseInt(fields[0].strip());
            int perturbation = Integer.parseInt(fields[1].strip());
            int keys = Integer.parseInt(fields[2].strip());
            if (count < 0 || keys <= 0) {
                throw new IllegalArgumentException("a count is never negative and a share has keys: " + line);
            }
            entries.computeIfAbsent(count, c -> new ArrayList<>()).add(new int[] {perturbation, keys});
        }
        if (entries.isEmpty() || entries.firstKey() != 0 || entries.lastKey() != entries.size() - 1) {
            throw new IllegalArgumentException("rows must be counts 0, 1, 2, … without a gap");
        }
        int keyRange = entries.get(0).stream().mapToInt(e -> e[1]).sum();
        List<int[]> rows = new ArrayList<>();
        entries.forEach((count, shares) -> {
            int[] row = new int[keyRange];
            int next = 0;
            for (int[] share : shares) {
                if (next + share[1] > keyRange) {
                    throw new IllegalArgumentException("row " + count + " has more keys than the key range " + keyRange);
                }
                java.util.Arrays.fill(row, next, next + share[1], share[0]);
                next += share[1];
            }
            if (next != keyRange) {
                throw new IllegalArgumentException("row " + count + " covers " + next + " keys, not " + keyRange);
            }
            rows.add(row);
        });
        return new PerturbationTable(keyRange, rows);
    }

    /** The published count of a cell: its count plus the perturbation its count and cell key select. */
    public int perturb(Cell cell) {
        return cell.count() + perturbation(cell.count(), cell.key());
    }

    public int perturbation(int count, int key) {
        if (key < 0 || key >= keyRange) {
            throw new IllegalArgumentException("cell key " + key + " outside [0, " + keyRange + ")");
        }
        return rows.get(Math.min(count, rows.size() - 1))[key];
    }

    /** The largest change the table makes to any count: the bound an attacker knows the noise to stay within. */
    public int largestPerturbation() {
        return rows.stream().flatMapToInt(java.util.Arrays::stream).map(Math::abs).max().orElse(0);
    }

    /** The mean perturbation of a count over uniform cell keys: 0 for an unbiased row. */
    public double meanPerturbation(int count) {
        int[] row = rows.get(Math.min(count, rows.size() - 1));
        return java.util.Arrays.stream(row).asDoubleStream().sum() / keyRange;
    }

    /** A table that publishes every count as it is: the baseline the tests compare the method against. */
    public static PerturbationTable none(int keyRange) {
        return new PerturbationTable(keyRange, List.of(new int[keyRange], new int[keyRange]));
    }
}
