package kh.dds.api.bulk.intake;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts an upload into lines as its chunks arrive, so that no upload is ever held whole (SPEC §4.3: tens of millions
 * of lines). A line ends at LF; a CR just before it is part of the line end (CRLF), a CR anywhere else is data. In
 * CSV mode an LF inside a double-quoted field is data too, so that a record spanning physical lines is one line
 * (RFC 4180); the quote state is followed byte by byte, which is exact because neither {@code "}, comma, LF nor CR
 * ever occurs inside a multi-byte UTF-8 sequence. Only a quote that starts a field opens a quoted field, as RFC 4180
 * has it: a stray quote inside an unquoted field is left for the row to refuse, and does not swallow the lines that
 * follow. For the same reason a line is decoded only once it is whole: a character
 * split between two chunks decodes as if it had come in one.
 *
 * <p>Memory is bounded by the line bound, not by the upload: the one buffer holds at most {@code maxBytes} (plus a
 * BOM and a CR); a longer line is reported as one bad line when its end comes, and the bytes between are counted but
 * not kept. A line that is not strict UTF-8 (a malformed, overlong or surrogate sequence) is a bad line, not an
 * exception. A UTF-8 BOM at the very start is skipped. An empty line gives nothing but keeps its number, so that the
 * numbers stay the ones the client counts.
 *
 * <p>One splitter reads one upload, from one thread at a time (a Vert.x request's handler); it is not thread-safe.
 */
final class RecordSplitter {

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte QUOTE = '"';
    private static final byte COMMA = ',';

    /** Where the CSV reader stands in the current field. */
    private enum Field { START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }
    private static final int BOM_LENGTH = 3;

    private final int maxBytes;
    private final boolean quoteAware;
    private final byte[] line;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int length;
    private boolean overLong;
    private Field field = Field.START;
    private boolean finished;
    private long number = 1;

    /**
     * @param maxBytes   the longest line kept, in bytes of UTF-8 without its line end
     * @param quoteAware CSV: a line break inside double quotes is data
     */
    RecordSplitter(int maxBytes, boolean quoteAware) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a line bound must be positive");
        }
        this.maxBytes = maxBytes;
        this.quoteAware = quoteAware;
        this.line = new byte[maxBytes + BOM_LENGTH + 1];
    }

    /** Reads {@code count} bytes of the next chunk; every line this chunk ends goes to {@code out}, in order. */
    void feed(byte[] chunk, int offset, int count, Consumer<PhysicalRecord> out) {
        if (finished) {
            throw new IllegalStateException("the upload has already ended");
        }
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            byte b = chunk[i];
            if (b == LF && field != Field.QUOTED) {
                field = Field.START;
                endLine(out);
                continue;
            }
            if (quoteAware) {
                field = next(field, b);
            }
            if (!overLong) {
                if (length == line.length) {
                    overLong = true;
                } else {
                    line[length++] = b;
                }
            }
        }
    }

    /** The upload has ended: a last line without a line end goes to {@code out}. */
    void finish(Consumer<PhysicalRecord> out) {
        if (finished) {
            return;
        }
        finished = true;
        if (field == Field.QUOTED) {
            out.accept(new PhysicalRecord.Bad(number, LineProblem.invalidRequest(
                    "a quoted field is not closed before the end of the upload")));
        } else if (length > 0 || overLong) {
            endLine(out);
        }
    }

    private static Field next(Field field, byte b) {
        return switch (field) {
            case START -> b == QUOTE ? Field.QUOTED : b == COMMA ? Field.START : Field.UNQUOTED;
            case UNQUOTED -> b == COMMA ? Field.START : Field.UNQUOTED;
            case QUOTED -> b == QUOTE ? Field.QUOTE_IN_QUOTED : Field.QUOTED;
            // a doubled quote is a quote within the field; anything else closes it
            case QUOTE_IN_QUOTED -> b == QUOTE ? Field.QUOTED : b == COMMA ? Field.START : Field.UNQUOTED;
        };
    }

    private void endLine(Consumer<PhysicalRecord> out) {
        long current = number++;
        int start = 0;
        int stop = length;
        if (stop > 0 && line[stop - 1] == CR) {
            stop--;
        }
        if (current == 1 && stop >= BOM_LENGTH && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
                && line[2] == (byte) 0xBF) {
            start = BOM_LENGTH;
        }
        boolean tooLong = overLong || stop - start > maxBytes;
        length = 0;
        overLong = false;
        if (tooLong) {
            out.accept(new PhysicalRecord.Bad(current, LineProblem.invalidRequest(
                    "the line is longer than " + maxBytes + " bytes")));
        } else if (stop > start) {
            try {
                String text = utf8.reset().decode(ByteBuffer.wrap(line, start, stop - start)).toString();
                out.accept(new PhysicalRecord.Text(current, text));
            } catch (CharacterCodingException e) {
                out.accept(new PhysicalRecord.Bad(current, LineProblem.invalidRequest("the line is not UTF-8")));
            }
        }
    }
}
