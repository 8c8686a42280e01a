package kh.dds.api.bulk.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one CSV record (RFC 4180): separated by commas; a field in double quotes may hold commas, line breaks
 * and quotes written twice. Read strictly, as the API reads JSON: a quote inside an unquoted field, or anything but a
 * comma after a closing quote, makes the record malformed rather than guessed at.
 */
final class CsvFields {

    /** A record that is not RFC 4180; the message names the field by its position, never its content. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private CsvFields() {
    }

    static List<String> split(String record) throws Malformed {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int n = record.length();
        int i = 0;
        while (true) {
            int position = fields.size() + 1;
            field.setLength(0);
            if (i < n && record.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new Malformed("field " + position + ": a quoted field is not closed");
                    }
                    char c = record.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && record.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(c);
                    i++;
                }
                if (i < n && record.charAt(i) != ',') {
                    throw new Malformed("field " + position + ": a closing quote must be followed by a comma or the "
                            + "end of the line");
                }
            } else {
                while (i < n && record.charAt(i) != ',') {
                    char c = record.charAt(i);
                    if (c == '"') {
                        throw new Malformed("field " + position + ": a quote inside an unquoted field (quote the "
                                + "field and double the quote)");
                    }
                    field.append(c);
                    i++;
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
