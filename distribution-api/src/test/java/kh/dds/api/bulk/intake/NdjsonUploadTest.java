package kh.dds.api.bulk.intake;

import static kh.dds.api.bulk.intake.Uploads.KIDC;
import static kh.dds.api.bulk.intake.Uploads.PURPOSE;
import static kh.dds.api.bulk.intake.Uploads.byteByByte;
import static kh.dds.api.bulk.intake.Uploads.concat;
import static kh.dds.api.bulk.intake.Uploads.ndjson;
import static kh.dds.api.bulk.intake.Uploads.utf8;
import static kh.dds.api.bulk.intake.Uploads.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kh.dds.api.verification.VerificationRequest;
import kh.dds.api.verification.VerificationRequest.AddressBody;
import kh.dds.api.verification.VerificationRequest.ClaimsBody;
import kh.dds.api.verification.VerificationRequest.ConditionsBody;
import org.junit.jupiter.api.Test;

class NdjsonUploadTest {

    private static final String GOOD = "{\"kidc\":\"" + KIDC + "\",\"reference\":\"r-1\"}";

    private static VerificationRequest accepted(IntakeLine line, long number) {
        assertEquals(number, line.number());
        return assertInstanceOf(IntakeLine.Accepted.class, line, () -> "line " + number + ": " + line).request();
    }

    private static LineProblem refused(IntakeLine line, long number) {
        assertEquals(number, line.number());
        return assertInstanceOf(IntakeLine.Refused.class, line, () -> "line " + number + ": " + line).problem();
    }

    private static LineProblem only(String line) {
        List<IntakeLine> lines = whole(ndjson(), utf8(line + "\n"));
        assertEquals(1, lines.size());
        return refused(lines.get(0), 1);
    }

    @Test
    void aLineReadsToTheRequestOfTheSameInteractiveBodyUnderTheUploadsPurpose() {
        String line = "{\"kidc\":\"" + KIDC + "\",\"reference\":\"r-1\",\"claims\":{\"familyName\":\"Sok\","
                + "\"dateOfBirth\":\"1990-05-17\",\"sex\":\"F\",\"address\":{\"province\":\"12\"}},"
                + "\"conditions\":{\"ageAtLeast\":18,\"alive\":true}}";
        List<IntakeLine> lines = whole(ndjson(), utf8(line + "\n"));
        assertEquals(List.of(new IntakeLine.Accepted(1, new VerificationRequest(KIDC, PURPOSE, "r-1",
                new ClaimsBody("Sok", null, "1990-05-17", "F", null, new AddressBody("12", null, null, null)),
                new ConditionsBody(18, true, null)))), lines);
    }

    @Test
    void khmerNamesWithAZeroWidthSpaceDecodeWholeWhenEveryCharacterIsSplitBetweenChunks() {
        String name = "សុខ\u200Bសំណាង";
        byte[] upload = utf8("{\"kidc\":\"" + KIDC + "\",\"claims\":{\"givenName\":\"" + name + "\"}}\n");
        List<IntakeLine> lines = byteByByte(ndjson(), upload);
        assertEquals(1, lines.size());
        assertEquals(name, accepted(lines.get(0), 1).claims().givenName());
    }

    @Test
    void aBomAtTheStartIsSkippedEvenSplitAcrossChunksButNotLater() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] upload = concat(bom, utf8(GOOD + "\n"), bom, utf8(GOOD + "\n"));
        List<IntakeLine> lines = byteByByte(ndjson(), upload);
        assertEquals(2, lines.size());
        accepted(lines.get(0), 1);
        assertEquals("invalid-request", refused(lines.get(1), 2).type());
    }

    @Test
    void crlfAndLfEndLinesAndTheLastLineNeedsNoLineEnd() {
        List<IntakeLine> lines = whole(ndjson(), utf8(GOOD + "\r\n" + GOOD + "\n" + GOOD));
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) {
            accepted(lines.get(i), i + 1);
        }
    }

    @Test
    void emptyLinesAreSkippedAndKeepTheirNumbers() {
        List<IntakeLine> lines = whole(ndjson(), utf8("\n\r\n" + GOOD + "\n\n" + GOOD + "\n\n"));
        assertEquals(2, lines.size());
        accepted(lines.get(0), 3);
        accepted(lines.get(1), 5);
    }

    @Test
    void aLoneCarriageReturnIsNotALineEnd() {
        List<IntakeLine> lines = whole(ndjson(), utf8(GOOD + "\r" + GOOD + "\n"));
        assertEquals(1, lines.size());
        assertEquals("invalid-request", refused(lines.get(0), 1).type());
    }

    @Test
    void aFiftyMegabyteLineIsOneBadLineAndTheNextLineIsRead() {
        UploadReader reader = ndjson();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        List<IntakeLine> lines = new ArrayList<>(reader.read(utf8(GOOD + "\n{\"reference\":\"")));
        for (int i = 0; i < 800; i++) { // 52 MB, one chunk at a time, never more than one chunk in memory
            lines.addAll(reader.read(chunk));
        }
        lines.addAll(reader.read(utf8("\"}\n" + GOOD + "\n")));
        lines.addAll(reader.finish());
        assertEquals(3, lines.size());
        accepted(lines.get(0), 1);
        assertEquals(new LineProblem("invalid-request", "the line is longer than 4096 bytes"),
                refused(lines.get(1), 2));
        accepted(lines.get(2), 3);
    }

    @Test
    void aLineOfExactlyTheBoundIsReadAndOneByteMoreIsNot() {
        String head = "{\"kidc\":\"" + KIDC + "\"";
        String exact = head + " ".repeat(UploadReader.MAX_LINE_BYTES - head.length() - 1) + "}";
        assertEquals(UploadReader.MAX_LINE_BYTES, utf8(exact).length);
        List<IntakeLine> lines = whole(ndjson(), utf8(exact + "\r\n" + " " + exact + "\n"));
        accepted(lines.get(0), 1);
        assertEquals("the line is longer than 4096 bytes", refused(lines.get(1), 2).detail());
    }

    @Test
    void aLineThatIsNotUtf8IsABadLineAndTheNextIsRead() {
        byte[][] broken = {
                {(byte) 0xC3, 0x28}, // a lead byte without its continuation
                {(byte) 0xC0, (byte) 0xAF}, // an overlong '/'
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate
                {(byte) 0xFF},
        };
        for (byte[] bad : broken) {
            byte[] upload = concat(utf8("{\"kidc\":\"" + KIDC + "\",\"reference\":\""), bad, utf8("\"}\n" + GOOD));
            List<IntakeLine> lines = byteByByte(ndjson(), upload);
            assertEquals(2, lines.size());
            assertEquals(new LineProblem("invalid-request", "the line is not UTF-8"), refused(lines.get(0), 1));
            accepted(lines.get(1), 2);
        }
    }

    @Test
    void aCharacterCutShortAtAChunksEndIsABadLineNotCarriedIntoTheNext() {
        UploadReader reader = ndjson();
        byte[] sok = utf8("ស"); // three bytes
        List<IntakeLine> lines = new ArrayList<>(reader.read(concat(utf8("{\"reference\":\""), sok, utf8("x"),
                Arrays.copyOf(sok, 2))));
        lines.addAll(reader.read(utf8("\n" + GOOD + "\n")));
        lines.addAll(reader.finish());
        assertEquals("the line is not UTF-8", refused(lines.get(0), 1).detail());
        accepted(lines.get(1), 2);
    }

    @Test
    void controlCharactersAreRefusedNamingTheFieldNotTheValue() {
        LineProblem problem = only("{\"kidc\":\"" + KIDC + "\",\"claims\":{\"familyName\":\"SECRET\\u0007\"}}");
        assertEquals(new LineProblem("invalid-request", "claims.familyName: contains a control character"), problem);
    }

    @Test
    void aKidcSentAsANumberIsInvalidKidcAndANameSentAsANumberInvalidRequest() {
        assertEquals("invalid-kidc", only("{\"kidc\":1000000028}").type());
        assertEquals(new LineProblem("invalid-request", "claims.familyName: not of the expected type"),
                only("{\"kidc\":\"" + KIDC + "\",\"claims\":{\"familyName\":12}}"));
        assertEquals(new LineProblem("invalid-request", "conditions.ageAtLeast: not of the expected type"),
                only("{\"kidc\":\"" + KIDC + "\",\"conditions\":{\"ageAtLeast\":\"18\"}}"));
        assertEquals(new LineProblem("invalid-request", "conditions.alive: not of the expected type"),
                only("{\"kidc\":\"" + KIDC + "\",\"conditions\":{\"alive\":1}}"));
    }

    @Test
    void unknownFieldsDeepNestingAndTwoValuesOnALineAreRefused() {
        assertEquals(new LineProblem("invalid-request", "claims.nickname: unknown field"),
                only("{\"kidc\":\"" + KIDC + "\",\"claims\":{\"nickname\":\"x\"}}"));
        assertEquals(new LineProblem("invalid-request", "the body is nested too deeply"),
                only("{\"kidc\":\"" + KIDC + "\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}"));
        assertEquals("invalid-request", only(GOOD + " " + GOOD).type());
        assertEquals("invalid-request", only("[" + GOOD + "]").type());
        assertEquals("invalid-request", only("   ").type());
    }

    @Test
    void aMalformedOrMissingKidcIsInvalidKidcWithoutTheValue() {
        LineProblem wrongCheckDigit = only("{\"kidc\":\"1000000029\"}");
        assertEquals(new LineProblem("invalid-kidc", "kidc: check digit does not match"), wrongCheckDigit);
        assertEquals(new LineProblem("invalid-kidc", "kidc: missing"), only("{\"reference\":\"r\"}"));
    }

    @Test
    void aMalformedKidcIsKeptAsSentForTheLinesAuditRecordButNotInItsProblem() {
        IntakeLine line = whole(ndjson(), utf8("{\"kidc\":\"10000x0029\"}\n")).get(0);
        IntakeLine.Refused refused = assertInstanceOf(IntakeLine.Refused.class, line);
        assertEquals("10000x0029", refused.kidcSent());
        assertFalse(refused.problem().detail().contains("10000x0029"));
    }

    @Test
    void aLineMayNameOnlyItsUploadsPurpose() {
        List<IntakeLine> lines = whole(ndjson(), utf8("{\"kidc\":\"" + KIDC + "\",\"purpose\":\"" + PURPOSE
                + "\"}\n{\"kidc\":\"" + KIDC + "\",\"purpose\":\"MARKETING\"}\n"));
        assertEquals(PURPOSE, accepted(lines.get(0), 1).purpose());
        LineProblem other = refused(lines.get(1), 2);
        assertEquals("invalid-request", other.type());
        assertFalse(other.detail().contains("MARKETING"));
    }

    @Test
    void anEmptyUploadHasNoLines() {
        assertEquals(List.of(), whole(ndjson(), new byte[0]));
        assertEquals(List.of(), whole(ndjson(), utf8("\n\r\n")));
    }
}
