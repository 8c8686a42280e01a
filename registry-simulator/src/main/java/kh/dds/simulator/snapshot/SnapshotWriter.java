package kh.dds.simulator.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import kh.dds.schema.event.PersonStatus;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.schema.event.Topics;
import kh.dds.simulator.population.Population;

/**
 * Writes the population as a snapshot for the replica's bulk load: gzip-compressed NDJSON, streamed person by person.
 *
 * <pre>
 * {"snapshot":{"id":"…","seed":1,"persons":100000,"createdAt":"2026-01-01T00:00:00Z",
 *              "positions":{"registry.person-events":{}}}}      (one line)
 * {"kidc":"1…","sequence":1,"status":"ACTIVE","lastEventAt":"2026-01-01T00:00:00Z","record":{…}}
 * </pre>
 *
 * {@code positions} maps each topic to the offsets (partition → next offset) the snapshot reflects; it is empty
 * because no event was published before the initial population, so a consumer starts at the beginning of the topic.
 * {@code record} is exactly what {@link RegistryEventCodec} writes as the payload of the person's
 * {@code PersonRegistered} event. The bytes depend only on the seed, the number of persons and the reference date.
 */
public final class SnapshotWriter {

    private static final int CHUNK = 1024;

    private final Population population;
    private final ObjectMapper mapper;
    private final ObjectWriter recordWriter;

    public SnapshotWriter(Population population, RegistryEventCodec codec) {
        this.population = population;
        this.mapper = codec.mapper();
        this.recordWriter = mapper.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    /** A stable id for the snapshot of this seed, size and reference date. */
    public static String snapshotId(Population population) {
        String name = "registry-simulator:" + population.seed() + ":" + population.size() + ":"
                + population.referenceDate();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Writes the gzip file through a temporary sibling, so that a reader never sees half a snapshot. */
    public void write(Path file, LongConsumer progress) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory != null) {
            Files.createDirectories(directory);
        }
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial);
             GZIPOutputStream gzip = new FastGzipOutputStream(new BufferedOutputStream(out, 1 << 16))) {
            writeNdjson(gzip, progress);
            gzip.finish();
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes the uncompressed NDJSON lines to {@code out} (left open). Lines are rendered in chunks by one worker per
     * core and written in order by the calling thread (which compresses, when {@code out} does), so the bytes are the
     * same as a sequential write's.
     */
    public void writeNdjson(OutputStream out, LongConsumer progress) throws IOException {
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "snapshot-renderer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ByteArrayOutputStream header = new ByteArrayOutputStream(256);
            try (JsonGenerator json = generator(header)) {
                writeHeader(json);
            }
            header.writeTo(out);
            ArrayDeque<Future<byte[]>> rendering = new ArrayDeque<>();
            int next = 0;
            long written = 0;
            long reported = 0;
            while (next < population.size() || !rendering.isEmpty()) {
                while (rendering.size() < workers * 3 && next < population.size()) {
                    int from = next;
                    int to = Math.min(population.size(), from + CHUNK);
                    rendering.add(pool.submit(() -> render(from, to)));
                    next = to;
                }
                out.write(await(rendering.poll()));
                written = Math.min(population.size(), written + CHUNK);
                if (written - reported >= 65_536) {
                    progress.accept(written);
                    reported = written;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        progress.accept(population.size());
    }

    private static byte[] await(Future<byte[]> chunk) throws IOException {
        try {
            return chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the snapshot");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = mapper.getFactory().createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null);
        return json;
    }

    /** The lines of persons {@code from} (inclusive) to {@code to} (exclusive). */
    private byte[] render(int from, int to) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream((to - from) * 1024);
        String lastEventAt = population.referenceInstant().toString();
        try (JsonGenerator json = generator(lines)) {
            for (int index = from; index < to; index++) {
                json.writeStartObject();
                json.writeStringField("kidc", population.kidc(index));
                json.writeNumberField("sequence", 1);
                json.writeStringField("status", PersonStatus.ACTIVE.name());
                json.writeStringField("lastEventAt", lastEventAt);
                json.writeFieldName("record");
                recordWriter.writeValue(json, population.record(index));
                json.writeEndObject();
                json.writeRaw('\n');
            }
        }
        return lines.toByteArray();
    }

    private void writeHeader(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("snapshot");
        json.writeStringField("id", snapshotId(population));
        json.writeNumberField("seed", population.seed());
        json.writeNumberField("persons", population.size());
        json.writeStringField("createdAt", population.referenceInstant().toString());
        json.writeObjectFieldStart("positions");
        json.writeObjectFieldStart(Topics.PERSON_EVENTS);
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /** gzip at the fastest level: a snapshot is written once and read once, and level 1 is several times faster. */
    private static final class FastGzipOutputStream extends GZIPOutputStream {

        FastGzipOutputStream(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
