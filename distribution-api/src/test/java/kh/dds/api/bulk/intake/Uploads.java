package kh.dds.api.bulk.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kh.dds.api.config.StrictJson;
import kh.dds.api.verification.VerificationBodyReader;

/** Readers as the application makes them (the strict mapper), and ways to feed them an upload. */
final class Uploads {

    static final String PURPOSE = "SOCIAL_BENEFIT_CHECK";
    static final String KIDC = "1000000028";
    static final ObjectMapper MAPPER = strictMapper();

    private Uploads() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return mapper;
    }

    static UploadReader ndjson() {
        return UploadReader.ndjson(PURPOSE, new VerificationBodyReader(MAPPER));
    }

    static UploadReader csv() {
        return UploadReader.csv(PURPOSE);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The whole upload in one chunk. */
    static List<IntakeLine> whole(UploadReader reader, byte[] upload) {
        List<IntakeLine> lines = new ArrayList<>(reader.read(upload));
        lines.addAll(reader.finish());
        return lines;
    }

    /** The upload cut before each of {@code cuts} (offsets, ascending, any may repeat). */
    static List<IntakeLine> chunked(UploadReader reader, byte[] upload, List<Integer> cuts) {
        List<IntakeLine> lines = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            int to = Math.min(Math.max(cut, from), upload.length);
            lines.addAll(reader.read(upload, from, to - from));
            from = to;
        }
        lines.addAll(reader.read(upload, from, upload.length - from));
        lines.addAll(reader.finish());
        return lines;
    }

    /** One byte a chunk: every multi-byte character, CRLF, BOM and quote split in every way it can be. */
    static List<IntakeLine> byteByByte(UploadReader reader, byte[] upload) {
        List<IntakeLine> lines = new ArrayList<>();
        for (int i = 0; i < upload.length; i++) {
            lines.addAll(reader.read(upload, i, 1));
        }
        lines.addAll(reader.finish());
        return lines;
    }
}
