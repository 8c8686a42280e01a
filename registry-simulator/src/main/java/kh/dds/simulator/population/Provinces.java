package kh.dds.simulator.population;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 25 provinces from {@code provinces.csv} (code, Latin and Khmer names, population), in code order, and a
 * choice weighted by population.
 */
public final class Provinces {

    public static final String PHNOM_PENH = "12";

    private final List<Province> provinces;
    private final WeightedChoice byPopulation;

    private Provinces(List<Province> provinces) {
        this.provinces = List.copyOf(provinces);
        double[] weights = new double[provinces.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = provinces.get(i).population();
        }
        this.byPopulation = new WeightedChoice(weights);
    }

    /** Cambodia's provinces, read from the classpath resource {@code /provinces.csv}. */
    public static Provinces cambodia() {
        try (InputStream in = Provinces.class.getResourceAsStream("/provinces.csv")) {
            if (in == null) {
                throw new IllegalStateException("provinces.csv is missing from the classpath");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Provinces read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<Province> rows = new ArrayList<>();
        String header = reader.readLine();
        if (header == null || !header.startsWith("code,")) {
            throw new IllegalStateException("provinces.csv: unexpected header " + header);
        }
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != 4) {
                throw new IllegalStateException("provinces.csv: expected 4 cells in " + line);
            }
            rows.add(new Province(cells[0].trim(), cells[1].trim(), cells[2].trim(), Long.parseLong(cells[3].trim())));
        }
        for (int i = 0; i < rows.size(); i++) {
            String expected = String.format("%02d", i + 1);
            if (!rows.get(i).code().equals(expected)) {
                throw new IllegalStateException("provinces.csv: expected code " + expected + " at row " + (i + 1));
            }
        }
        return new Provinces(rows);
    }

    public int count() {
        return provinces.size();
    }

    /** The province at {@code index} (0-based: index 0 is code {@code 01}). */
    public Province get(int index) {
        return provinces.get(index);
    }

    public List<Province> all() {
        return provinces;
    }

    /** The share of Cambodia's population living in the province at {@code index}. */
    public double share(int index) {
        return byPopulation.share(index);
    }

    /** A province index drawn with probability proportional to its population. */
    public int pickByPopulation(double unit) {
        return byPopulation.pick(unit);
    }

    public int pickByPopulation(long hash) {
        return byPopulation.pick(hash);
    }
}
