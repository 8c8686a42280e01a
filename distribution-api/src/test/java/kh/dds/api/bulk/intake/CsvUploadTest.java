package kh.dds.api.bulk.intake;

import static kh.dds.api.bulk.intake.Uploads.KIDC;
import static kh.dds.api.bulk.intake.Uploads.PURPOSE;
import static kh.dds.api.bulk.intake.Uploads.byteByByte;
import static kh.dds.api.bulk.intake.Uploads.concat;
import static kh.dds.api.bulk.intake.Uploads.csv;
import static kh.dds.api.bulk.intake.Uploads.utf8;
import static kh.dds.api.bulk.intake.Uploads.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kh.dds.api.verification.VerificationRequest;
import kh.dds.api.verification.VerificationRequest.AddressBody;
import kh.dds.api.verification.VerificationRequest.ClaimsBody;
import kh.dds.api.verification.VerificationRequest.ConditionsBody;
import org.junit.jupiter.api.Test;

class CsvUploadTest {

    private static final String HEADER = "kidc,reference,familyName,givenName,dateOfBirth,sex,documentNumber,province";

    private static VerificationRequest accepted(IntakeLine line, long number) {
        assertEquals(number, line.number());
        return assertInstanceOf(IntakeLine.Accepted.class, line, () -> "line " + number + ": " + line).request();
    }

    private static LineProblem refused(IntakeLine line, long number) {
        assertEquals(number, line.number());
        return assertInstanceOf(IntakeLine.Refused.class, line, () -> "line " + number + ": " + line).problem();
    }

    private static LineProblem onlyRow(String header, String row) {
        List<IntakeLine> lines = whole(csv(), utf8(header + "\r\n" + row + "\r\n"));
        assertEquals(1, lines.size());
        return refused(lines.get(0), 2);
    }

    @Test
    void theHeaderMapsColumnsByNameInAnyOrderAndEmptyCellsAreClaimsNotMade() {
        String upload = "province,kidc,familyName,ageAtLeast,alive,reference\n"
                + "12," + KIDC + ",Sok,18,true,r-1\n"
                + "," + KIDC + ",,,,\n";
        List<IntakeLine> lines = whole(csv(), utf8(upload));
        assertEquals(new VerificationRequest(KIDC, PURPOSE, "r-1",
                new ClaimsBody("Sok", null, null, null, null, new AddressBody("12", null, null, null)),
                new ConditionsBody(18, true, null)), accepted(lines.get(0), 2));
        assertEquals(new VerificationRequest(KIDC, PURPOSE, null, null, null), accepted(lines.get(1), 3));
    }

    @Test
    void quotedFieldsHoldCommasAndDoubledQuotes() {
        List<IntakeLine> lines = whole(csv(), utf8(HEADER + "\n" + KIDC + ",\"a,\"\"b\"\"\",\"\",\"Sok\",,,,\n"));
        VerificationRequest request = accepted(lines.get(0), 2);
        assertEquals("a,\"b\"", request.reference());
        assertEquals(null, request.claims().familyName()); // a quoted empty cell is empty too
        assertEquals("Sok", request.claims().givenName());
    }

    @Test
    void aLineBreakInsideQuotesIsOneRecordWhoseValueIsRefusedAndTheNumbersGoOn() {
        String upload = HEADER + "\r\n" + KIDC + ",\"two\r\nlines\",,,,,,\r\n" + KIDC + ",r-3,,,,,,\r\n";
        List<IntakeLine> lines = byteByByte(csv(), utf8(upload));
        assertEquals(2, lines.size());
        assertEquals(new LineProblem("invalid-request", "reference: contains a control character"),
                refused(lines.get(0), 2));
        assertEquals("r-3", accepted(lines.get(1), 3).reference());
    }

    @Test
    void aQuotedFieldWithKhmerTextAndACommaSpanningChunksIsReadWhole() {
        String name = "សុខ\u200B, សំណាង";
        byte[] upload = utf8(HEADER + "\n" + KIDC + ",r,\"" + name + "\",,,,,\n");
        UploadReader reader = csv();
        int middle = upload.length - 12; // inside the quoted name, inside a Khmer character
        List<IntakeLine> lines = new ArrayList<>(reader.read(upload, 0, middle));
        lines.addAll(reader.read(upload, middle, upload.length - middle));
        lines.addAll(reader.finish());
        assertEquals(name, accepted(lines.get(0), 2).claims().familyName());
    }

    @Test
    void aBomBeforeTheHeaderIsSkippedAndCrlfEndsRecords() {
        byte[] upload = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8("kidc,sex\r\n" + KIDC + ",F\r\n" + KIDC + ",M"));
        List<IntakeLine> lines = byteByByte(csv(), upload);
        assertEquals("F", accepted(lines.get(0), 2).claims().sex());
        assertEquals("M", accepted(lines.get(1), 3).claims().sex());
    }

    @Test
    void emptyLinesAreSkippedAndKeepTheirNumbers() {
        List<IntakeLine> lines = whole(csv(), utf8("kidc\n\n" + KIDC + "\n\r\n" + KIDC + "\n\n"));
        assertEquals(2, lines.size());
        accepted(lines.get(0), 3);
        accepted(lines.get(1), 5);
    }

    @Test
    void anUnknownMissingOrRepeatedColumnRefusesTheUploadWithoutEchoingIt() {
        UploadRefused unknown = assertThrows(UploadRefused.class,
                () -> csv().read(utf8("kidc,SECRET_COLUMN\n")));
        assertTrue(unknown.getMessage().startsWith("header column 2 is not one of kidc, reference"));
        assertFalse(unknown.getMessage().contains("SECRET"));
        assertEquals("the header names no kidc column",
                assertThrows(UploadRefused.class, () -> csv().read(utf8("reference,familyName\n"))).getMessage());
        assertEquals("header column 3 names kidc a second time",
                assertThrows(UploadRefused.class, () -> csv().read(utf8("kidc,sex,kidc\n"))).getMessage());
        assertThrows(UploadRefused.class, () -> csv().read(utf8("Kidc\n")));
        UploadReader unclosed = csv();
        assertEquals(List.of(), unclosed.read(utf8("kidc,\"sex\n")));
        assertEquals("the header row cannot be read: a quoted field is not closed before the end of the upload",
                assertThrows(UploadRefused.class, unclosed::finish).getMessage());
    }

    @Test
    void anEmptyUploadHasNoHeaderAndIsRefusedButAHeaderAloneIsNoLines() {
        assertEquals("a CSV upload starts with a header row; this one is empty",
                assertThrows(UploadRefused.class, () -> whole(csv(), new byte[0])).getMessage());
        assertEquals(List.of(), whole(csv(), utf8(HEADER + "\r\n")));
    }

    @Test
    void anUnreadableHeaderRefusesTheUpload() {
        byte[] longHeader = utf8("kidc," + "x".repeat(5000) + "\n");
        assertEquals("the header row cannot be read: the line is longer than 4096 bytes",
                assertThrows(UploadRefused.class, () -> csv().read(longHeader)).getMessage());
        byte[] notUtf8 = {'k', 'i', 'd', 'c', (byte) 0xFF, '\n'};
        assertThrows(UploadRefused.class, () -> csv().read(notUtf8));
    }

    @Test
    void malformedRowsAreBadLinesAndTheJobGoesOn() {
        String upload = "kidc,reference\n"
                + KIDC + ",a\"b\n"               // a quote inside an unquoted field
                + KIDC + ",\"ab\"c\n"            // text after a closing quote
                + KIDC + "\n"                    // too few fields
                + KIDC + ",r,extra\n"            // too many
                + KIDC + ",bell\u0007\n"         // a control character
                + KIDC + ",cr\rinside\n"         // a lone CR is data, and a control character
                + KIDC + "," + "ស".repeat(201) + "\n" // over the 200-character bound
                + "1000000029,r\n"               // a malformed KIdC
                + KIDC + ",ok\n";
        List<IntakeLine> lines = whole(csv(), utf8(upload));
        assertEquals(9, lines.size());
        assertEquals("field 2: a quote inside an unquoted field (quote the field and double the quote)",
                refused(lines.get(0), 2).detail());
        assertEquals("field 2: a closing quote must be followed by a comma or the end of the line",
                refused(lines.get(1), 3).detail());
        assertEquals("the row has 1 fields where the header names 2", refused(lines.get(2), 4).detail());
        assertEquals("the row has 3 fields where the header names 2", refused(lines.get(3), 5).detail());
        assertEquals("reference: contains a control character", refused(lines.get(4), 6).detail());
        assertEquals("reference: contains a control character", refused(lines.get(5), 7).detail());
        assertEquals("reference: longer than 200 characters", refused(lines.get(6), 8).detail());
        assertEquals(new LineProblem("invalid-kidc", "kidc: check digit does not match"), refused(lines.get(7), 9));
        assertEquals("ok", accepted(lines.get(8), 10).reference());
    }

    @Test
    void ageAtLeastIsAJsonIntegerAndAliveTrueOrFalse() {
        String header = "kidc,ageAtLeast,alive";
        for (String age : List.of("18.0", "abc", "018", "+18", "1e2", " 18", "99999999999")) {
            assertEquals(new LineProblem("invalid-request", "ageAtLeast: not of the expected type (an integer)"),
                    onlyRow(header, KIDC + "," + age + ",true"), age);
        }
        for (String alive : List.of("yes", "TRUE", "1", "True")) {
            assertEquals(new LineProblem("invalid-request", "alive: not of the expected type (true or false)"),
                    onlyRow(header, KIDC + ",18," + alive), alive);
        }
        List<IntakeLine> lines = whole(csv(), utf8(header + "\n" + KIDC + ",-0,false\n"));
        assertEquals(new ConditionsBody(0, false, null), accepted(lines.get(0), 2).conditions());
    }

    @Test
    void aQuoteNeverClosedIsOneBadLineAtTheEnd() {
        List<IntakeLine> lines = whole(csv(), utf8("kidc,reference\n" + KIDC + ",r\n" + KIDC + ",\"open\n"
                + KIDC + ",r\n"));
        assertEquals(2, lines.size());
        accepted(lines.get(0), 2);
        assertEquals("a quoted field is not closed before the end of the upload", refused(lines.get(1), 3).detail());
    }

    @Test
    void anOverLongRowIsOneBadLineEvenWithQuotedLineBreaksAndTheNextRowIsRead() {
        UploadReader reader = csv();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) '\n'); // inside quotes: data, not empty lines
        List<IntakeLine> lines = new ArrayList<>(reader.read(utf8("kidc,reference\n" + KIDC + ",\"")));
        for (int i = 0; i < 16; i++) {
            lines.addAll(reader.read(chunk));
        }
        lines.addAll(reader.read(utf8("\"\n" + KIDC + ",next\n")));
        lines.addAll(reader.finish());
        assertEquals(2, lines.size());
        assertEquals("the line is longer than 4096 bytes", refused(lines.get(0), 2).detail());
        assertEquals("next", accepted(lines.get(1), 3).reference());
    }
}
