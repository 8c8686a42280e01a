package kh.dds.api.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files named in configuration — keys, key sets: {@code classpath:…}, {@code file:…} or a plain path. */
public final class Locations {

    private Locations() {
    }

    public static byte[] read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
                try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("no classpath resource " + resource);
                    }
                    return in.readAllBytes();
                }
            }
            return Files.readAllBytes(Path.of(location.startsWith("file:") ? location.substring(5) : location));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
    }
}
