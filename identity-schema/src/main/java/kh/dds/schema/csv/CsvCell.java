package kh.dds.schema.csv;

/**
 * One text cell of a CSV export (RFC 4180), safe to open in a spreadsheet: every service's CSV (the auditors' lookup
 * records, billing's usage and invoices) writes its text cells here, so that the rule lives in one place.
 *
 * <ul>
 *   <li><b>Formulas are neutralised, whatever follows.</b> A value that begins with {@code = + - @}, a tab or a
 *       carriage return is prefixed with {@code '}: a spreadsheet shows it as text instead of running it (CSV
 *       injection: {@code =HYPERLINK(...)}, {@code @SUM(...)}, DDE). The test is on the first character alone, so
 *       a line break, a quote or anything else after it changes nothing.</li>
 *   <li><b>Quoted when it must be.</b> A value holding a comma, a double quote, a carriage return or a line feed is
 *       enclosed in double quotes, its quotes doubled; line breaks stay inside the quotes, so a cell never ends its
 *       row or starts a new one.</li>
 * </ul>
 * Values the caller's code makes (numbers, instants, UUIDs, enum names) need none of this and are written as they
 * are: a negative amount must stay a number.
 */
public final class CsvCell {

    /** The characters that make a spreadsheet read a cell as a formula when they come first. */
    static final String FORMULA_LEADS = "=+-@\t\r";

    private CsvCell() {
    }

    /** The cell for {@code value}; {@code null} is the empty cell. */
    public static String of(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = FORMULA_LEADS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (needsQuotes(text)) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    private static boolean needsQuotes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
