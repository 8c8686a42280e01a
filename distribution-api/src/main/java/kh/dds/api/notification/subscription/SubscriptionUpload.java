package kh.dds.api.notification.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kh.dds.schema.kidc.Kidc;

/**
 * Reads a subscription upload — NDJSON ({@code {"kidc":"…"}} a line) or CSV (a header naming the column {@code kidc},
 * then one row a KIdC) — as it streams in, handing its KIdCs on in batches, so that an upload of millions is never
 * held whole. A bad line (not UTF-8, not the format, over {@value #MAX_LINE} bytes, not a well-formed KIdC) is
 * reported by its number and skipped; the value is never echoed.
 */
public final class SubscriptionUpload {

    /** A line holds one KIdC and a little JSON or CSV around it. */
    static final int MAX_LINE = 256;
    /** Problems reported in an answer at most (all are counted). */
    static final int MAX_PROBLEMS = 100;

    public enum Format { NDJSON, CSV }

    /** A bad line and why. */
    public record LineProblem(long line, String detail) {
    }

    /** What an upload came to (before the store says how many were new). */
    public static final class Tally {
        public long lines;
        public long kidcs;
        public long rejected;
        public final List<LineProblem> problems = new ArrayList<>();

        void reject(long line, String detail) {
            rejected++;
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(new LineProblem(line, detail));
            }
        }
    }

    private final Format format;
    private final int batchSize;
    private final long maxKidcs;
    private final ObjectMapper mapper;

    public SubscriptionUpload(Format format, int batchSize, long maxKidcs, ObjectMapper mapper) {
        this.format = format;
        this.batchSize = batchSize;
        this.maxKidcs = maxKidcs;
        this.mapper = mapper;
    }

    /** Reads the whole stream, handing each batch of distinct well-formed KIdCs to {@code batches} as it fills. */
    public Tally read(InputStream in, Consumer<List<String>> batches) throws IOException {
        Reading reading = new Reading(batches);
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            for (int i = 0; i < read; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    reading.endLine();
                } else if (reading.line.size() < MAX_LINE) {
                    reading.line.write(b);
                } else {
                    reading.tooLong = true;
                }
            }
        }
        if (reading.line.size() > 0 || reading.tooLong) {
            reading.endLine();
        }
        if (!reading.headerSeen) {
            throw new UploadRefused("a CSV upload starts with the header line: kidc");
        }
        if (!reading.batch.isEmpty()) {
            batches.accept(List.copyOf(reading.batch));
        }
        return reading.tally;
    }

    /** Where the reading of one upload stands. */
    private final class Reading {
        final Tally tally = new Tally();
        final Set<String> batch = new LinkedHashSet<>();
        final ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        final Consumer<List<String>> batches;
        boolean tooLong;
        boolean headerSeen = format != Format.CSV;
        long number;

        Reading(Consumer<List<String>> batches) {
            this.batches = batches;
        }

        void endLine() {
            number++;
            byte[] bytes = line.toByteArray();
            line.reset();
            if (tooLong) {
                tooLong = false;
                tally.lines++;
                tally.reject(number, "the line is longer than " + MAX_LINE + " bytes");
                return;
            }
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
            } catch (CharacterCodingException e) {
                tally.lines++;
                tally.reject(number, "the line is not UTF-8");
                return;
            }
            if (number == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                return;
            }
            if (!headerSeen) {
                if (!"kidc".equals(text.strip().replace("\"", ""))) {
                    throw new UploadRefused("a CSV upload starts with the header line: kidc");
                }
                headerSeen = true;
                return;
            }
            tally.lines++;
            String kidc = kidcOf(text, number, tally);
            if (kidc == null) {
                return;
            }
            if (++tally.kidcs > maxKidcs) {
                throw new UploadRefused("an upload holds at most " + maxKidcs + " KIdCs");
            }
            batch.add(kidc);
            if (batch.size() >= batchSize) {
                batches.accept(List.copyOf(batch));
                batch.clear();
            }
        }
    }

    private String kidcOf(String text, long number, Tally tally) {
        String value;
        if (format == Format.CSV) {
            value = text.strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
        } else {
            JsonNode node;
            try {
                node = mapper.readTree(text);
            } catch (IOException e) {
                tally.reject(number, "the line is not one JSON object");
                return null;
            }
            if (node == null || !node.isObject() || node.size() != 1 || !node.path("kidc").isTextual()) {
                tally.reject(number, "the line is not {\"kidc\":\"<10 digits>\"}");
                return null;
            }
            value = node.get("kidc").textValue();
        }
        String problem = Kidc.problemWith(value);
        if (problem != null) {
            tally.reject(number, "kidc: " + problem);
            return null;
        }
        return value;
    }

    /** The upload as a whole is refused (a CSV without its header, too many KIdCs). */
    public static final class UploadRefused extends RuntimeException {
        public UploadRefused(String message) {
            super(message, null, false, false);
        }
    }
}
