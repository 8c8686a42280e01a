package kh.dds.api.statistics;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kh.dds.api.call.InputRules;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.Problems;
import kh.dds.schema.time.PhnomPenh;

/**
 * A population statistics query (SPEC §4.4): the day, the dimensions grouped by (in the caller's order: the first
 * gives the table's rows), and at most one value per filtered dimension.
 *
 * @param asOf    the day counted (default today in Phnom Penh)
 * @param groupBy the dimensions grouped by, none repeated
 * @param filters the filtered dimensions and their values
 */
public record StatisticsQuery(LocalDate asOf, List<Dimension> groupBy, Map<Dimension, String> filters) {

    /** Parameters beside the dimensions' filters. */
    public static final String AS_OF = "asOf";
    public static final String GROUP_BY = "groupBy";
    /** Parameters a query may carry at most: the filters, {@code asOf}, {@code groupBy} and a purpose. */
    private static final int MAX_PARAMETERS = Dimension.values().length + 3;
    private static final int MAX_VALUE = 64;

    /**
     * Reads a query from its parameters (decoded), each checked against SPEC §4's input rules and this endpoint's
     * own: unknown parameters and dimensions, repeated ones, malformed values are a {@code 400} problem naming the
     * parameter, never echoing the value. {@code purpose} is read by the call pipeline, not here.
     */
    public static StatisticsQuery parse(Map<String, List<String>> parameters) {
        if (parameters.size() > MAX_PARAMETERS) {
            throw Problems.invalidRequest("too many query parameters");
        }
        LocalDate asOf = PhnomPenh.today();
        List<Dimension> groupBy = new ArrayList<>();
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        for (Map.Entry<String, List<String>> parameter : new TreeMap<>(parameters).entrySet()) {
            String name = parameter.getKey();
            if (InputRules.problemWith(name, MAX_VALUE) != null) {
                throw Problems.invalidRequest("a query parameter's name is too long or holds control characters");
            }
            if (name.equals("purpose")) {
                continue;
            }
            if (parameter.getValue().size() != 1) {
                throw Problems.invalidRequest(name + ": given more than once");
            }
            String value = parameter.getValue().get(0);
            String problem = InputRules.problemWith(value, MAX_VALUE);
            if (problem != null) {
                throw Problems.invalidRequest(name + ": " + problem);
            }
            if (name.equals(AS_OF)) {
                asOf = date(value);
            } else if (name.equals(GROUP_BY)) {
                groupBy = groupBy(value);
            } else {
                Dimension dimension = Dimension.of(name).orElseThrow(() -> unknownDimension(
                        "unknown query parameter '" + printable(name) + "': asOf, groupBy, purpose or a dimension ("
                                + Dimension.names() + ")"));
                if (!dimension.accepts(value)) {
                    throw Problems.invalidRequest(name + ": not a value of the dimension");
                }
                filters.put(dimension, value);
            }
        }
        String province = filters.get(Dimension.PROVINCE);
        String district = filters.get(Dimension.DISTRICT);
        if (province != null && district != null && !district.startsWith(province)) {
            throw Problems.invalidRequest("district: not a district of the province");
        }
        return new StatisticsQuery(asOf, List.copyOf(groupBy), Collections.unmodifiableMap(filters));
    }

    /**
     * The query's canonical parameters, as its lookup record keeps them: names sorted, {@code asOf} always given,
     * {@code groupBy} in the caller's order, values percent-encoded where needed.
     */
    public String canonical() {
        Map<String, String> parameters = new TreeMap<>();
        parameters.put(AS_OF, asOf.toString());
        if (!groupBy.isEmpty()) {
            parameters.put(GROUP_BY, String.join(",", groupBy.stream().map(Dimension::parameter).toList()));
        }
        filters.forEach((dimension, value) -> parameters.put(dimension.parameter(), value));
        return canonical(parameters);
    }

    /** Parameters as sent (a refused query's record): names sorted, values joined, percent-encoded. */
    public static String canonicalOf(Map<String, List<String>> parameters) {
        Map<String, String> sorted = new TreeMap<>();
        parameters.forEach((name, values) -> sorted.put(name, String.join(",", values)));
        return canonical(sorted);
    }

    private static String canonical(Map<String, String> parameters) {
        StringBuilder out = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(encode(name)).append('=').append(encode(value));
        });
        return out.toString();
    }

    /** Percent-encoding of what would break the {@code name=value&…} form; commas are kept (groupBy's separator). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2C", ",");
    }

    private static LocalDate date(String value) {
        if (!value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw Problems.invalidRequest("asOf: a date as YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalidRequest("asOf: not a date of the calendar");
        }
    }

    private static List<Dimension> groupBy(String value) {
        List<Dimension> dimensions = new ArrayList<>();
        if (value.isEmpty()) {
            return dimensions;
        }
        for (String name : value.split(",", -1)) {
            Dimension dimension = Dimension.of(name.trim()).orElseThrow(() -> unknownDimension(
                    "groupBy: unknown dimension '" + printable(name) + "': one of " + Dimension.names()));
            if (dimensions.contains(dimension)) {
                throw Problems.invalidRequest("groupBy: " + dimension.parameter() + " named twice");
            }
            dimensions.add(dimension);
        }
        return dimensions;
    }

    private static ApiProblem unknownDimension(String detail) {
        return new ApiProblem(400, "unknown-dimension", "The query names an unknown dimension", detail);
    }

    /** A name safe to repeat in a detail: letters, digits, dashes and underscores, at most 32 of them. */
    private static String printable(String value) {
        String cut = value.length() > 32 ? value.substring(0, 32) : value;
        return cut.replaceAll("[^\\p{Alnum}_\\-]", "?");
    }
}
