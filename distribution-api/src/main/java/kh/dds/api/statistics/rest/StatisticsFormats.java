package kh.dds.api.statistics.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kh.dds.api.statistics.Dimension;
import kh.dds.api.statistics.service.PublishedTable;
import kh.dds.disclosure.PublishedCount;
import kh.dds.schema.csv.CsvCell;

/** How a published table is written: JSON (cells, margins, total, the method) or CSV (one row a value). */
final class StatisticsFormats {

    /** What a CSV row shows in a dimension a margin or the total adds up over. */
    static final String ALL = "TOTAL";
    static final String METHOD = "cell-key-perturbation";

    private StatisticsFormats() {
    }

    static String json(ObjectMapper mapper, PublishedTable table) throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectNode root = mapper.createObjectNode();
        root.put("asOf", table.query().asOf().toString());
        root.put("dataAsOf", table.dataAsOf() == null ? null : table.dataAsOf().toString());
        ArrayNode groupBy = root.putArray("groupBy");
        table.query().groupBy().forEach(d -> groupBy.add(d.parameter()));
        ObjectNode filters = root.putObject("filters");
        table.query().filters().forEach((d, v) -> filters.put(d.parameter(), v));
        ArrayNode cells = root.putArray("cells");
        for (PublishedTable.Entry entry : table.cells()) {
            cells.add(entry(mapper, table.query().groupBy(), entry));
        }
        ArrayNode margins = root.putArray("margins");
        for (PublishedTable.Margin margin : table.margins()) {
            ObjectNode node = margins.addObject();
            ArrayNode dimensions = node.putArray("groupBy");
            margin.dimensions().forEach(d -> dimensions.add(d.parameter()));
            ArrayNode values = node.putArray("cells");
            margin.entries().forEach(e -> values.add(entry(mapper, margin.dimensions(), e)));
        }
        ObjectNode total = root.putObject("total");
        count(total, table.total());
        ObjectNode suppressed = root.putObject("suppressed");
        suppressed.put("primary", table.suppressed(PublishedCount.Suppression.PRIMARY));
        suppressed.put("complementary", table.suppressed(PublishedCount.Suppression.COMPLEMENTARY));
        ObjectNode method = root.putObject("disclosureControl");
        method.put("method", METHOD);
        ObjectNode perturbation = method.putObject("perturbation");
        perturbation.put("keyRange", table.keyRange());
        perturbation.put("largestChange", table.largestChange());
        perturbation.put("table", table.defaultTable() ? "default" : "configured");
        perturbation.put("marginsPerturbedAsCells", true);
        method.putObject("primarySuppression").put("minCellSize", table.minCellSize());
        ObjectNode complementary = method.putObject("complementarySuppression");
        complementary.put("protectionLevel", table.protectionLevel());
        complementary.put("table", table.query().groupBy().size() <= 2 ? "as grouped"
                : "two-way: rows by the first dimension, columns by the combination of the others");
        return mapper.writeValueAsString(root);
    }

    static String csv(PublishedTable table) {
        List<Dimension> dimensions = table.query().groupBy();
        StringBuilder out = new StringBuilder();
        for (Dimension dimension : dimensions) {
            out.append(dimension.parameter()).append(',');
        }
        out.append("count,suppression\n");
        for (PublishedTable.Entry entry : table.cells()) {
            row(out, dimensions, dimensions, entry);
        }
        for (PublishedTable.Margin margin : table.margins()) {
            for (PublishedTable.Entry entry : margin.entries()) {
                row(out, dimensions, margin.dimensions(), entry);
            }
        }
        row(out, dimensions, List.of(), new PublishedTable.Entry(List.of(), table.total()));
        return out.toString();
    }

    private static void row(StringBuilder out, List<Dimension> all, List<Dimension> kept, PublishedTable.Entry entry) {
        for (Dimension dimension : all) {
            int at = kept.indexOf(dimension);
            out.append(CsvCell.of(at < 0 ? ALL : entry.values().get(at))).append(',');
        }
        PublishedCount count = entry.count();
        out.append(count.count() == null ? "" : count.count().toString()).append(',')
                .append(count.suppression().name()).append('\n');
    }

    private static ObjectNode entry(ObjectMapper mapper, List<Dimension> dimensions, PublishedTable.Entry entry) {
        ObjectNode node = mapper.createObjectNode();
        for (int i = 0; i < dimensions.size(); i++) {
            node.put(dimensions.get(i).parameter(), entry.values().get(i));
        }
        count(node, entry.count());
        return node;
    }

    private static void count(ObjectNode node, PublishedCount count) {
        if (count.count() == null) {
            node.putNull("count");
        } else {
            node.put("count", count.count());
        }
        node.put("suppression", count.suppression().name());
    }
}
