package kh.dds.schema.statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What the replica's population history ({@code db/replica/V6__population_history.sql}) means, in one place for the
 * replica that writes it and the API that reads it: how a birth date is kept, how an age band is computed on a day,
 * and the bands' names.
 */
public final class PopulationHistory {

    /** Five-year bands, the last open: 0–4, 5–9, …, 80–84, 85+. */
    public static final int AGE_BANDS = 18;

    private PopulationHistory() {
    }

    /** A day as the integer yyyymmdd, the form birth dates are kept in. */
    public static int ymd(LocalDate day) {
        return day.getYear() * 10_000 + day.getMonthValue() * 100 + day.getDayOfMonth();
    }

    /**
     * The SQL expression of a row's age band on the day whose yyyymmdd is the parameter {@code day}: whole years are
     * (day − birth) / 10000 in yyyymmdd arithmetic (a birthday counts from its own day; 29 February from 1 March in
     * other years), and a band is five of them. {@code NULL} for a person without a birth date.
     */
    public static String ageBandSql(String day) {
        return "CASE WHEN birth_ymd IS NULL THEN NULL ELSE least(greatest(" + day + " - birth_ymd, 0) / 50000, "
                + (AGE_BANDS - 1) + ") END";
    }

    /** The age band of a person born on {@code birthYmd}, on the day {@code dayYmd} (as {@link #ageBandSql}). */
    public static int ageBand(int birthYmd, int dayYmd) {
        return Math.min(Math.max(dayYmd - birthYmd, 0) / 50_000, AGE_BANDS - 1);
    }

    /** The band's published name: {@code 0-4}, …, {@code 80-84}, {@code 85+}. */
    public static String ageBandName(int band) {
        if (band < 0 || band >= AGE_BANDS) {
            throw new IllegalArgumentException("no age band " + band);
        }
        return band == AGE_BANDS - 1 ? (5 * band) + "+" : (5 * band) + "-" + (5 * band + 4);
    }

    /** Every band's name, youngest first. */
    public static List<String> ageBandNames() {
        List<String> names = new ArrayList<>();
        for (int band = 0; band < AGE_BANDS; band++) {
            names.add(ageBandName(band));
        }
        return List.copyOf(names);
    }

    /** The band of a published name, or -1. */
    public static int ageBandOf(String name) {
        return ageBandNames().indexOf(name);
    }
}
