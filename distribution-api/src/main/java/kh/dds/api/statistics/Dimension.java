package kh.dds.api.statistics;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import kh.dds.schema.statistics.PopulationHistory;

/**
 * A dimension of the population statistics (SPEC §4.4): its name in queries and answers, its column in the replica's
 * history, the values a filter may name, and the values a table shows even when nobody has them (the full domain,
 * where it is known).
 */
public enum Dimension {
    PROVINCE("province", "province", Pattern.compile("0[1-9]|1[0-9]|2[0-5]"), provinces()),
    DISTRICT("district", "district", Pattern.compile("(0[1-9]|1[0-9]|2[0-5])[0-9]{2}"), List.of()),
    SEX("sex", "sex", Pattern.compile("[FM]"), List.of("F", "M")),
    AGE_BAND("ageBand", "age_band", null, PopulationHistory.ageBandNames()),
    MARITAL_STATUS("maritalStatus", "marital_status", Pattern.compile("SINGLE|MARRIED|DIVORCED|WIDOWED"),
            List.of("SINGLE", "MARRIED", "DIVORCED", "WIDOWED")),
    CITIZENSHIP("citizenship", "citizenship", Pattern.compile("[A-Z]{3}"), List.of());

    /** How a person without a value in a dimension is shown (a partial record). */
    public static final String UNKNOWN = "UNKNOWN";

    private final String parameter;
    private final String column;
    private final Pattern values;
    private final List<String> domain;

    Dimension(String parameter, String column, Pattern values, List<String> domain) {
        this.parameter = parameter;
        this.column = column;
        this.values = values;
        this.domain = domain;
    }

    /** The name in a query ({@code groupBy}, filters) and in an answer. */
    public String parameter() {
        return parameter;
    }

    /** The column of {@code replica.person_history} and {@code replica.population_day}. */
    public String column() {
        return column;
    }

    /** Every value a table shows in this dimension, in order; empty when only the data says (districts, citizenships). */
    public List<String> domain() {
        return domain;
    }

    /** Whether a filter may name this value. */
    public boolean accepts(String value) {
        if (this == AGE_BAND) {
            return PopulationHistory.ageBandOf(value) >= 0;
        }
        return values.matcher(value).matches();
    }

    public static Optional<Dimension> of(String parameter) {
        return Arrays.stream(values()).filter(d -> d.parameter.equals(parameter)).findFirst();
    }

    /** The names, for a problem's detail. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Dimension::parameter).toList());
    }

    private static List<String> provinces() {
        return java.util.stream.IntStream.rangeClosed(1, 25).mapToObj(i -> String.format("%02d", i)).toList();
    }
}
