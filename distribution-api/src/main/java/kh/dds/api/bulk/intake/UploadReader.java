package kh.dds.api.bulk.intake;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import kh.dds.api.verification.VerificationBodyReader;

/**
 * Reads a bulk verification upload (SPEC §4.3) chunk by chunk, as a streamed request body delivers it: each chunk
 * gives the lines it completes, in input order, each either a request to verify or the problem that refuses it, so
 * that a caller can make them durable before asking for the next chunk. Nothing but the line being read is held
 * between chunks; a line is bounded by {@link #MAX_LINE_BYTES}.
 *
 * <p>Line numbers are the client's: 1-based, counting every line including empty ones and a CSV header (line 1). A
 * CSV record whose quoted field spans physical lines is one line, numbered as one: the n-th record of the file is
 * line n, as a spreadsheet numbers its rows. Empty lines are skipped in both formats.
 *
 * <p>One reader reads one upload, from one thread at a time.
 */
public final class UploadReader {

    /**
     * The longest line, in bytes of UTF-8 without its line end: a §4.1 body of eleven strings of up to 200
     * characters fits (Khmer takes three bytes a character, so a line of long Khmer names may not; 4 KiB keeps a
     * worker's memory per upload small whatever the client sends).
     */
    public static final int MAX_LINE_BYTES = 4096;

    private final RecordSplitter splitter;
    private final LineFormat format;

    private UploadReader(RecordSplitter splitter, LineFormat format) {
        this.splitter = splitter;
        this.format = format;
    }

    /**
     * An {@code application/x-ndjson} upload under {@code purpose}: every accepted request carries that purpose; a
     * line naming another is refused.
     */
    public static UploadReader ndjson(String purpose, VerificationBodyReader bodies) {
        return new UploadReader(new RecordSplitter(MAX_LINE_BYTES, false),
                new NdjsonFormat(bodies, new RequestChecks(purpose)));
    }

    /** A {@code text/csv} upload under {@code purpose}. */
    public static UploadReader csv(String purpose) {
        return new UploadReader(new RecordSplitter(MAX_LINE_BYTES, true), new CsvFormat(new RequestChecks(purpose)));
    }

    /**
     * The lines this chunk completes.
     *
     * @throws UploadRefused when the upload cannot be read at all (a CSV header this API cannot read)
     */
    public List<IntakeLine> read(byte[] chunk, int offset, int length) {
        List<IntakeLine> lines = new ArrayList<>();
        splitter.feed(chunk, offset, length, record -> format.read(record, lines::add));
        return lines;
    }

    public List<IntakeLine> read(byte[] chunk) {
        return read(chunk, 0, chunk.length);
    }

    public List<IntakeLine> read(Buffer chunk) {
        return read(chunk.getBytes());
    }

    /**
     * The upload has ended: the last line, when it has no line end.
     *
     * @throws UploadRefused when a CSV upload had no header row
     */
    public List<IntakeLine> finish() {
        List<IntakeLine> lines = new ArrayList<>();
        splitter.finish(record -> format.read(record, lines::add));
        format.finish();
        return lines;
    }
}
