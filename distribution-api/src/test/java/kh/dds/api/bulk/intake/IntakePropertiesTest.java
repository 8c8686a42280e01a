package kh.dds.api.bulk.intake;

import static kh.dds.api.bulk.intake.Uploads.MAPPER;
import static kh.dds.api.bulk.intake.Uploads.chunked;
import static kh.dds.api.bulk.intake.Uploads.csv;
import static kh.dds.api.bulk.intake.Uploads.ndjson;
import static kh.dds.api.bulk.intake.Uploads.utf8;
import static kh.dds.api.bulk.intake.Uploads.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The reader's promises over inputs no one would write by hand: a row and its NDJSON equivalent give the same outcome
 * (so a bulk line and an interactive call with the same claims meet the one matcher with the same request), and how
 * an upload is cut into chunks never changes what is read.
 */
class IntakePropertiesTest {

    private static final List<String> COLUMNS = List.of("kidc", "reference", "familyName", "givenName",
            "dateOfBirth", "sex", "documentNumber", "province", "ageAtLeast", "alive", "residentInProvince");

    /** One line's values by column; an absent column is a claim not made. */
    record Row(Map<String, Object> values, List<Boolean> quoteAnyway) {
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> khmer = Arbitraries.strings().withCharRange('\u1780', '\u17FF').withChars('\u200B', ' ')
                .ofMinLength(1).ofMaxLength(30);
        Arbitrary<String> latin = Arbitraries.strings().withCharRange(' ', '~').withChars('é', '“', '\u00A0')
                .ofMinLength(1).ofMaxLength(30);
        Arbitrary<String> awkward = Arbitraries.of(",", "\"", "\"\"", "a,\"b\"", " ", "\u0007", "x\ny", "\r",
                "ស".repeat(201), "😀", "1000000028");
        return Arbitraries.frequencyOf(Tuple.of(5, khmer), Tuple.of(5, latin), Tuple.of(1, awkward));
    }

    @Provide
    Arbitrary<Row> rows() {
        Arbitrary<String> kidc = Arbitraries.of("1000000028", "1000000029", "123", "");
        Arbitrary<Object> age = Arbitraries.integers().between(-5, 200).map(i -> (Object) i);
        Arbitrary<Object> alive = Arbitraries.of(true, false).map(b -> (Object) b);
        List<Arbitrary<Object>> cells = new ArrayList<>();
        for (String column : COLUMNS) {
            Arbitrary<Object> value = switch (column) {
                case "kidc" -> kidc.map(k -> (Object) k);
                case "ageAtLeast" -> age;
                case "alive" -> alive;
                default -> text().map(t -> (Object) t);
            };
            cells.add(value.injectNull(0.4));
        }
        Arbitrary<List<Object>> values = Combinators.combine(cells).as(list -> list);
        return Combinators.combine(values, Arbitraries.of(true, false).list().ofSize(COLUMNS.size()))
                .as((list, quotes) -> {
                    Map<String, Object> byColumn = new LinkedHashMap<>();
                    for (int i = 0; i < COLUMNS.size(); i++) {
                        Object value = list.get(i);
                        if (value != null && !"".equals(value)) {
                            byColumn.put(COLUMNS.get(i), value);
                        }
                    }
                    return new Row(byColumn, quotes);
                });
    }

    @Property(tries = 400)
    void aCsvRowAndItsNdjsonEquivalentGiveTheSameOutcome(@ForAll("rows") Row row) {
        IntakeLine fromCsv = single(whole(csv(), utf8(String.join(",", COLUMNS) + "\r\n" + csvRow(row) + "\r\n")));
        IntakeLine fromNdjson = single(whole(ndjson(), utf8(ndjsonLine(row) + "\n")));
        if (fromNdjson instanceof IntakeLine.Accepted accepted) {
            assertEquals(accepted, new IntakeLine.Accepted(accepted.number(),
                    ((IntakeLine.Accepted) fromCsv).request()), "same request");
        } else {
            IntakeLine.Refused refused = (IntakeLine.Refused) fromNdjson;
            assertEquals(refused.problem().type(), ((IntakeLine.Refused) fromCsv).problem().type(),
                    () -> fromCsv + " against " + fromNdjson);
        }
    }

    @Property(tries = 200)
    void howAnUploadIsCutIntoChunksNeverChangesWhatIsRead(@ForAll("uploads") List<Row> rows,
                                                           @ForAll("cuts") List<Integer> cuts,
                                                           @ForAll boolean crlf) {
        String end = crlf ? "\r\n" : "\n";
        byte[] ndjsonUpload = utf8(rows.stream().map(IntakePropertiesTest::ndjsonLine)
                .collect(Collectors.joining(end, "\uFEFF", end + end)));
        byte[] csvUpload = utf8(rows.stream().map(IntakePropertiesTest::csvRow)
                .collect(Collectors.joining(end, "\uFEFF" + String.join(",", COLUMNS) + end, "")));
        assertEquals(whole(ndjson(), ndjsonUpload), chunked(ndjson(), ndjsonUpload, scaled(cuts, ndjsonUpload)));
        assertEquals(whole(csv(), csvUpload), chunked(csv(), csvUpload, scaled(cuts, csvUpload)));
        assertEquals(rows.size(), whole(csv(), csvUpload).size());
    }

    @Provide
    Arbitrary<List<Row>> uploads() {
        return rows().list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 1000).list().ofMaxSize(12).map(l -> l.stream().sorted().toList());
    }

    private static List<Integer> scaled(List<Integer> permille, byte[] upload) {
        return permille.stream().map(p -> (int) ((long) p * upload.length / 1000)).toList();
    }

    private static IntakeLine single(List<IntakeLine> lines) {
        assertEquals(1, lines.size(), () -> lines.toString());
        return lines.get(0);
    }

    private static String csvRow(Row row) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            Object value = row.values().get(COLUMNS.get(i));
            String cell = value == null ? "" : value.toString();
            boolean needs = cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r");
            cells.add(needs || row.quoteAnyway().get(i) ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
        }
        return String.join(",", cells);
    }

    private static String ndjsonLine(Row row) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode claims = MAPPER.createObjectNode();
        ObjectNode conditions = MAPPER.createObjectNode();
        row.values().forEach((column, value) -> {
            switch (column) {
                case "kidc", "reference" -> body.put(column, (String) value);
                case "province" -> claims.putObject("address").put("province", (String) value);
                case "ageAtLeast" -> conditions.put(column, (Integer) value);
                case "alive" -> conditions.put(column, (Boolean) value);
                case "residentInProvince" -> conditions.put(column, (String) value);
                default -> claims.put(column, (String) value);
            }
        });
        if (!claims.isEmpty()) {
            body.set("claims", claims);
        }
        if (!conditions.isEmpty()) {
            body.set("conditions", conditions);
        }
        return body.toString();
    }
}
