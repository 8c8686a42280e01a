package kh.dds.api.statistics.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.statistics.Dimension;
import kh.dds.api.statistics.StatisticsConfig;
import kh.dds.api.statistics.StatisticsQuery;
import kh.dds.api.statistics.repository.PopulationCounts;
import kh.dds.api.statistics.repository.PopulationCounts.Group;
import kh.dds.disclosure.Cell;
import kh.dds.disclosure.DisclosureControl;
import kh.dds.disclosure.PerturbationTable;
import kh.dds.disclosure.PublishedCount;
import kh.dds.schema.time.PhnomPenh;

/**
 * Answers a population statistics query with disclosure control (SPEC §4.4, disclosure-control's
 * {@link DisclosureControl}): every count — cells, margins, total — perturbed by the cell key method from its persons'
 * record keys, then counts below the contract's minimum cell size suppressed, then the complementary cells.
 *
 * <p>The shape of the table: no dimension, one count; one dimension, a one-way table and its total; two or more, a
 * two-way table whose rows are the first dimension's values and whose columns are the combinations of the others'
 * values, with both margins and the total. Complementary suppression is proven (by exact linear programs in
 * disclosure-control's tests) for one- and two-way tables, so a table of three or more dimensions publishes exactly
 * the margins of that two-way view — by the first dimension, and by the combination of the others — and no other
 * (a margin by the second dimension alone would be a sum the suppression does not account for).
 *
 * <p>A dimension's values are its full domain where it is known (provinces, sexes, age bands, marital statuses) and
 * the values present otherwise (districts, citizenships); a filtered dimension has its one value.
 */
@ApplicationScoped
public class PopulationStatistics {

    private final PopulationCounts counts;
    private final StatisticsConfig config;
    private final PerturbationTable perturbation;
    private final boolean defaultTable;

    public PopulationStatistics(PopulationCounts counts, StatisticsConfig config) {
        this.counts = counts;
        this.config = config;
        this.defaultTable = config.perturbationTable().isEmpty();
        this.perturbation = config.perturbationTable().map(PopulationStatistics::read)
                .orElseGet(PerturbationTable::defaultTable);
        if (perturbation.keyRange() != 256) {
            throw new IllegalStateException("the perturbation table's key range must be the record keys' (256)");
        }
    }

    public Uni<PublishedTable> answer(StatisticsQuery query, int minCellSize) {
        return counts.range().flatMap(range -> {
            LocalDate today = PhnomPenh.today();
            if (range.beganOn() == null) {
                throw outsideHistory("the replica holds no history yet");
            }
            if (query.asOf().isBefore(range.beganOn()) || query.asOf().isAfter(today)) {
                throw outsideHistory("asOf: the history covers " + range.beganOn() + " to today ("
                        + today + ", Phnom Penh)");
            }
            return counts.count(query, range.dataAsOf(), today, config.todayMaxStaleness())
                    .map(counted -> publish(query, counted.groups(), minCellSize, counted.dataAsOf()));
        });
    }

    PublishedTable publish(StatisticsQuery query, List<Group> groups, int minCellSize, java.time.Instant dataAsOf) {
        DisclosureControl control = DisclosureControl.withDefaults(perturbation, minCellSize);
        int keyRange = perturbation.keyRange();
        List<Dimension> dimensions = query.groupBy();
        int k = dimensions.size();
        Map<List<String>, Cell> byValues = new HashMap<>();
        List<List<String>> domains = new ArrayList<>();
        List<TreeSet<String>> present = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            present.add(new TreeSet<>());
        }
        for (Group group : groups) {
            List<String> values = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                String value = group.values().get(i) == null ? Dimension.UNKNOWN : group.values().get(i);
                values.add(value);
                present.get(i).add(value);
            }
            Cell cell = new Cell(Math.toIntExact(group.persons()),
                    group.persons() == 0 ? 0 : (int) Math.floorMod(group.keySum(), (long) keyRange));
            byValues.merge(values, cell, (a, b) -> a.plus(b, keyRange));
        }
        long size = 1;
        for (int i = 0; i < k; i++) {
            Dimension dimension = dimensions.get(i);
            List<String> domain = new ArrayList<>();
            String filter = query.filters().get(dimension);
            if (filter != null) {
                domain.add(filter);
            } else {
                domain.addAll(dimension.domain());
            }
            for (String value : present.get(i)) {
                if (!domain.contains(value)) {
                    domain.add(value);
                }
            }
            domains.add(domain);
            size *= Math.max(1, domain.size());
        }
        if (size > config.maxCells()) {
            throw new ApiProblem(400, "table-too-large", "The table has too many cells",
                    "this grouping gives " + size + " cells; at most " + config.maxCells()
                            + ": group by fewer dimensions or filter");
        }
        List<PublishedTable.Entry> cells = new ArrayList<>();
        List<PublishedTable.Margin> margins = new ArrayList<>();
        PublishedCount total;
        if (domains.stream().anyMatch(List::isEmpty)) {
            // a dimension nobody the filters select has a value in (a district with no one): an empty table
            total = control.publish(Cell.EMPTY);
        } else if (k == 0) {
            total = control.publish(byValues.getOrDefault(List.of(), Cell.EMPTY));
        } else if (k == 1) {
            List<Cell> row = new ArrayList<>();
            for (String value : domains.get(0)) {
                row.add(byValues.getOrDefault(List.of(value), Cell.EMPTY));
            }
            List<PublishedCount> published = control.publishOneWay(row);
            for (int j = 0; j < row.size(); j++) {
                cells.add(new PublishedTable.Entry(List.of(domains.get(0).get(j)), published.get(j)));
            }
            total = published.get(row.size());
        } else {
            List<String> rows = domains.get(0);
            List<List<String>> columns = combinations(domains.subList(1, k));
            Cell[][] table = new Cell[rows.size()][columns.size()];
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < columns.size(); j++) {
                    List<String> values = new ArrayList<>(k);
                    values.add(rows.get(i));
                    values.addAll(columns.get(j));
                    table[i][j] = byValues.getOrDefault(values, Cell.EMPTY);
                }
            }
            List<List<PublishedCount>> published = control.publishTwoWay(table);
            List<PublishedTable.Entry> byRow = new ArrayList<>();
            List<PublishedTable.Entry> byColumn = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < columns.size(); j++) {
                    List<String> values = new ArrayList<>(k);
                    values.add(rows.get(i));
                    values.addAll(columns.get(j));
                    cells.add(new PublishedTable.Entry(List.copyOf(values), published.get(i).get(j)));
                }
                byRow.add(new PublishedTable.Entry(List.of(rows.get(i)), published.get(i).get(columns.size())));
            }
            for (int j = 0; j < columns.size(); j++) {
                byColumn.add(new PublishedTable.Entry(columns.get(j), published.get(rows.size()).get(j)));
            }
            margins.add(new PublishedTable.Margin(List.of(dimensions.get(0)), byRow));
            margins.add(new PublishedTable.Margin(List.copyOf(dimensions.subList(1, k)), byColumn));
            total = published.get(rows.size()).get(columns.size());
        }
        return new PublishedTable(query, dataAsOf, List.copyOf(cells), List.copyOf(margins), total, minCellSize,
                control.protectionLevel(), keyRange, perturbation.largestPerturbation(), defaultTable);
    }

    private static List<List<String>> combinations(List<List<String>> domains) {
        List<List<String>> result = new ArrayList<>();
        result.add(List.of());
        for (List<String> domain : domains) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : result) {
                for (String value : domain) {
                    List<String> combination = new ArrayList<>(prefix);
                    combination.add(value);
                    next.add(List.copyOf(combination));
                }
            }
            result = next;
        }
        return result;
    }

    private static ApiProblem outsideHistory(String detail) {
        return new ApiProblem(400, "outside-history", "The date is outside the population history", detail);
    }

    private static PerturbationTable read(String path) {
        try {
            return PerturbationTable.parse(Files.readString(Path.of(path)));
        } catch (IOException e) {
            throw new IllegalStateException("api.statistics.perturbation-table: cannot read " + path, e);
        }
    }
}
