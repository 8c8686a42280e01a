package kh.dds.simulator.population;

/**
 * Cambodia's age and sex structure, shaped on the 2019 census: a young population in which each five-year band from
 * 0–4 to 30–34 holds 8–10% of the people, fewer in each band above 35 (the generations thinned by the 1970s), and
 * about 5% aged 65 or more. Women outnumber men, more so with age.
 */
public final class AgePyramid {

    /** Ages run from 0 to {@code MAX_AGE} inclusive. */
    public static final int MAX_AGE = 94;
    public static final int AGES = MAX_AGE + 1;

    /** Percent of the population in each five-year band 0–4, 5–9, …, 90–94. */
    private static final double[] BAND_PERCENT = {
            9.6, 9.4, 9.3, 9.0, 9.0, 9.2, 8.6,   // 0–34
            7.0, 5.8, 4.9, 4.5, 3.8, 3.0,        // 35–64
            2.2, 1.4, 0.9, 0.5, 0.25, 0.1        // 65–94
    };

    private final double[] ageShare = new double[AGES];

    public AgePyramid() {
        double total = 0;
        for (double percent : BAND_PERCENT) {
            total += percent;
        }
        for (int age = 0; age < AGES; age++) {
            ageShare[age] = BAND_PERCENT[age / 5] / 5 / total;
        }
    }

    /** The share of the whole population aged exactly {@code age} completed years. */
    public double share(int age) {
        return ageShare[age];
    }

    /** The share of men among people aged {@code age}: about 49% overall, fewer among the old. */
    public double maleShare(int age) {
        if (age < 40) {
            return 0.497;
        }
        if (age < 65) {
            return 0.475;
        }
        return 0.42;
    }
}
