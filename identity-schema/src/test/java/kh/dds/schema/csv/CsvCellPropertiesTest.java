package kh.dds.schema.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** CSV cells read back by an independent reader (Jackson's): the value, defused when it could run as a formula. */
class CsvCellPropertiesTest {

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    @Property(tries = 2000)
    void aCellReadsBackAsItsValueOrItsValueDefused(@ForAll("values") String value) throws IOException {
        List<String[]> rows = read("before," + CsvCell.of(value) + ",after\n");
        assertEquals(1, rows.size(), "one row, whatever line breaks the value holds");
        String[] cells = rows.get(0);
        assertEquals(3, cells.length, "three cells, whatever commas and quotes the value holds");
        assertEquals("before", cells[0]);
        assertEquals(defused(value), cells[1]);
        assertEquals("after", cells[2]);
    }

    @Property(tries = 2000)
    void noCellStartsWithAFormulaWhateverFollows(@ForAll("formulas") String value) throws IOException {
        String cell = read(CsvCell.of(value) + "\n").get(0)[0];
        assertEquals('\'', cell.charAt(0), "read as text by a spreadsheet");
        assertEquals(value, cell.substring(1), "and otherwise the value itself");
    }

    @Property(tries = 500)
    void rowsOfCellsKeepTheirShape(@ForAll @Size(min = 1, max = 8) List<@Size(min = 1, max = 6) List<
            @net.jqwik.api.From("values") String>> table) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (List<String> row : table) {
            csv.append("row");
            row.forEach(value -> csv.append(',').append(CsvCell.of(value)));
            csv.append('\n');
        }
        List<String[]> rows = read(csv.toString());
        assertEquals(table.size(), rows.size());
        for (int i = 0; i < table.size(); i++) {
            List<String> expected = new ArrayList<>(List.of("row"));
            table.get(i).forEach(value -> expected.add(defused(value)));
            assertEquals(expected, List.of(rows.get(i)));
        }
    }

    @Example
    void formulasAreDefusedAndQuotedWhenTheyMustBe() {
        assertEquals("'=1+1", CsvCell.of("=1+1"));
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", CsvCell.of("=HYPERLINK(\"http://x\",\"y\")"));
        assertEquals("\"'=cmd|' /C calc'!A0\n\"", CsvCell.of("=cmd|' /C calc'!A0\n"));
        assertEquals("'@SUM(A1)", CsvCell.of("@SUM(A1)"));
        assertEquals("'-2+3", CsvCell.of("-2+3"));
        assertEquals("'+855 12 345 678", CsvCell.of("+855 12 345 678"));
        assertEquals("'\t=1", CsvCell.of("\t=1"));
        assertEquals("\"'\r=1\"", CsvCell.of("\r=1"));
        assertEquals("\"teller\n=1+1\"", CsvCell.of("teller\n=1+1"), "a formula after a line break is inside a cell");
        assertEquals("Bank of Phnom Penh", CsvCell.of("Bank of Phnom Penh"));
        assertEquals("ធនាគារ", CsvCell.of("ធនាគារ"));
        assertEquals("", CsvCell.of(null));
        assertEquals("", CsvCell.of(""));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars("=+-@\t\r\n\",' ;|!aក").ofMaxLength(12),
                formulas());
    }

    @Provide
    Arbitrary<String> formulas() {
        return Arbitraries.of('=', '+', '-', '@', '\t', '\r').flatMap(lead -> Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMaxLength(20),
                        Arbitraries.strings().withChars("=+-@\t\r\n\",'(); A1").ofMaxLength(12))
                .map(rest -> lead + rest));
    }

    private static String defused(String value) {
        return !value.isEmpty() && CsvCell.FORMULA_LEADS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private static List<String[]> read(String csv) throws IOException {
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).with(CsvSchema.emptySchema())
                .readValues(csv)) {
            List<String[]> all = rows.readAll();
            assertTrue(all.stream().allMatch(row -> row.length > 0));
            return all;
        }
    }
}
