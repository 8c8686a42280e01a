package kh.dds.simulator.delivery;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes events as NDJSON, one event's JSON per line (the Kafka value; the key is the line's {@code kidc}), gzip
 * compressed when the file name ends in {@code .gz}.
 */
public final class NdjsonFileSink implements EventSink {

    private final Path file;
    private final Writer writer;
    private long sent;

    public NdjsonFileSink(Path file) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            out = new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
        }
        this.writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    @Override
    public void send(String key, String value) {
        try {
            writer.write(value);
            writer.write('\n');
            sent++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long sent() {
        return sent;
    }

    @Override
    public long acknowledged() {
        return sent;
    }

    @Override
    public Throwable failure() {
        return null;
    }

    @Override
    public String describe() {
        return "file " + file;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
