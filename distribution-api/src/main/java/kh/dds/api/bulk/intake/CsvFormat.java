package kh.dds.api.bulk.intake;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import kh.dds.api.call.InputRules;
import kh.dds.api.verification.VerificationRequest;
import kh.dds.api.verification.VerificationRequest.AddressBody;
import kh.dds.api.verification.VerificationRequest.ClaimsBody;
import kh.dds.api.verification.VerificationRequest.ConditionsBody;

/**
 * {@code text/csv} (RFC 4180): line 1 is a header naming columns of {@link CsvColumn}, in any order; {@code kidc} is
 * required, every other column optional. A header this API cannot read refuses the whole upload ({@link
 * UploadRefused}). Each following record becomes the request its NDJSON equivalent would: an empty cell is a claim
 * not made (a quoted empty cell too), a row whose condition cells are all empty asks no conditions and one whose claim
 * cells are all empty makes no claims, exactly as a JSON body that leaves those objects out. {@code ageAtLeast} is
 * written as a JSON integer is ({@code -?(0|[1-9][0-9]*)}), {@code alive} as {@code true} or {@code false}. Every
 * cell is held to the bound and the control-character rule of every string a caller sends ({@link InputRules}): the
 * format's line breaks are allowed between records and inside quotes, but a value that holds one is refused.
 */
final class CsvFormat implements LineFormat {

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    private final RequestChecks checks;
    private List<CsvColumn> columns;

    CsvFormat(RequestChecks checks) {
        this.checks = checks;
    }

    @Override
    public void read(PhysicalRecord record, Consumer<IntakeLine> out) {
        if (columns == null) {
            columns = header(record);
            return;
        }
        if (record instanceof PhysicalRecord.Bad bad) {
            out.accept(new IntakeLine.Refused(bad.number(), bad.problem()));
            return;
        }
        PhysicalRecord.Text row = (PhysicalRecord.Text) record;
        out.accept(row(row.number(), row.text()));
    }

    @Override
    public void finish() {
        if (columns == null) {
            throw new UploadRefused("a CSV upload starts with a header row; this one is empty");
        }
    }

    private static List<CsvColumn> header(PhysicalRecord record) {
        if (record instanceof PhysicalRecord.Bad bad) {
            throw new UploadRefused("the header row cannot be read: " + bad.problem().detail());
        }
        List<String> names;
        try {
            names = CsvFields.split(((PhysicalRecord.Text) record).text());
        } catch (CsvFields.Malformed e) {
            throw new UploadRefused("the header row is not CSV: " + e.getMessage());
        }
        List<CsvColumn> columns = new ArrayList<>(names.size());
        Set<CsvColumn> seen = EnumSet.noneOf(CsvColumn.class);
        for (int i = 0; i < names.size(); i++) {
            CsvColumn column = CsvColumn.named(names.get(i));
            if (column == null) {
                throw new UploadRefused("header column " + (i + 1) + " is not one of " + CsvColumn.NAMES);
            }
            if (!seen.add(column)) {
                throw new UploadRefused("header column " + (i + 1) + " names " + column.header() + " a second time");
            }
            columns.add(column);
        }
        if (!seen.contains(CsvColumn.KIDC)) {
            throw new UploadRefused("the header names no kidc column");
        }
        return List.copyOf(columns);
    }

    private IntakeLine row(long number, String text) {
        List<String> fields;
        try {
            fields = CsvFields.split(text);
        } catch (CsvFields.Malformed e) {
            return refused(number, e.getMessage());
        }
        if (fields.size() != columns.size()) {
            return refused(number, "the row has " + fields.size() + " fields where the header names "
                    + columns.size());
        }
        Map<CsvColumn, String> cells = new EnumMap<>(CsvColumn.class);
        for (int i = 0; i < fields.size(); i++) {
            String cell = fields.get(i);
            String problem = InputRules.problemWith(cell, InputRules.MAX_TEXT);
            if (problem != null) {
                return refused(number, columns.get(i).header() + ": " + problem);
            }
            if (!cell.isEmpty()) {
                cells.put(columns.get(i), cell);
            }
        }
        String age = cells.get(CsvColumn.AGE_AT_LEAST);
        if (age != null && integer(age) == null) {
            return refused(number, "ageAtLeast: not of the expected type (an integer)");
        }
        String alive = cells.get(CsvColumn.ALIVE);
        if (alive != null && !alive.equals("true") && !alive.equals("false")) {
            return refused(number, "alive: not of the expected type (true or false)");
        }
        return checks.check(number, request(cells));
    }

    private static VerificationRequest request(Map<CsvColumn, String> cells) {
        String province = cells.get(CsvColumn.PROVINCE);
        ClaimsBody claims = new ClaimsBody(cells.get(CsvColumn.FAMILY_NAME), cells.get(CsvColumn.GIVEN_NAME),
                cells.get(CsvColumn.DATE_OF_BIRTH), cells.get(CsvColumn.SEX), cells.get(CsvColumn.DOCUMENT_NUMBER),
                province == null ? null : new AddressBody(province, null, null, null));
        String age = cells.get(CsvColumn.AGE_AT_LEAST);
        String alive = cells.get(CsvColumn.ALIVE);
        ConditionsBody conditions = new ConditionsBody(age == null ? null : integer(age),
                alive == null ? null : Boolean.valueOf(alive), cells.get(CsvColumn.RESIDENT_IN_PROVINCE));
        boolean noClaims = claims.equals(new ClaimsBody(null, null, null, null, null, null));
        boolean noConditions = conditions.equals(new ConditionsBody(null, null, null));
        return new VerificationRequest(cells.get(CsvColumn.KIDC), null, cells.get(CsvColumn.REFERENCE),
                noClaims ? null : claims, noConditions ? null : conditions);
    }

    /** The cell as a JSON integer of Java's {@code int} range, as Jackson reads one, or {@code null}. */
    private static Integer integer(String cell) {
        if (!INTEGER.matcher(cell).matches()) {
            return null;
        }
        try {
            return Integer.valueOf(cell);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static IntakeLine refused(long number, String detail) {
        return new IntakeLine.Refused(number, LineProblem.invalidRequest(detail));
    }
}
