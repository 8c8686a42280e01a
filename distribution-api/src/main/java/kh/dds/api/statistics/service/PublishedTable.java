package kh.dds.api.statistics.service;

import java.time.Instant;
import java.util.List;
import kh.dds.api.statistics.Dimension;
import kh.dds.api.statistics.StatisticsQuery;
import kh.dds.disclosure.PublishedCount;

/**
 * An answer as it may be published: every count perturbed, suppressed ones {@code null} with their flag.
 *
 * @param query           what was asked
 * @param dataAsOf        the time of the last registry event the replica applied
 * @param cells           one entry per combination of the grouped dimensions' values
 * @param margins         the table's margins: for two or more dimensions, by the first dimension and by the
 *                        combination of the others (see {@link PopulationStatistics})
 * @param total           the count of every person the query's filters select
 * @param minCellSize     the contract's minimum cell size
 * @param protectionLevel the least width of a suppressed value's feasible interval
 * @param keyRange        the perturbation table's key range
 * @param largestChange   the largest change the perturbation table makes
 * @param defaultTable    whether the perturbation table is disclosure-control's default
 */
public record PublishedTable(StatisticsQuery query, Instant dataAsOf, List<Entry> cells, List<Margin> margins,
                             PublishedCount total, int minCellSize, int protectionLevel, int keyRange,
                             int largestChange, boolean defaultTable) {

    /** A published value and the values of the dimensions it counts (in their order). */
    public record Entry(List<String> values, PublishedCount count) {
    }

    /** A margin: the dimensions it keeps and its values. */
    public record Margin(List<Dimension> dimensions, List<Entry> entries) {
    }

    public long suppressed(PublishedCount.Suppression kind) {
        long n = cells.stream().filter(e -> e.count().suppression() == kind).count();
        n += margins.stream().flatMap(m -> m.entries().stream()).filter(e -> e.count().suppression() == kind).count();
        return n + (total.suppression() == kind ? 1 : 0);
    }
}
