package kh.dds.schema.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The published keys (JWKS documents) of the external identity providers a service trusts, read when the service
 * starts and again on a thread of their own: every {@code refresh}, sooner when a token names a key they do not hold
 * (a provider's key rotation), and every {@link #RETRY} while a provider has not answered yet. Verifying a token
 * then never waits on the network: SmallRye JWT given a JWKS <em>location</em> fetches it on the first token, on
 * whatever thread that token arrives on — in Quarkus, a Vert.x event loop, which must never block.
 *
 * <p>Each document read is handed to the listener, which builds its verifier from the document's content.
 */
public final class IssuerKeySets implements AutoCloseable {

    /** How soon a provider that did not answer is asked again, and the least time between two reads of one. */
    public static final Duration RETRY = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(IssuerKeySets.class.getName());

    /** Told each JWKS document read, by its location. */
    @FunctionalInterface
    public interface Listener {
        void keys(String location, String jwks);
    }

    private final List<String> locations;
    private final Duration refresh;
    private final Listener listener;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread daemon = new Thread(runnable, "issuer-keys");
        daemon.setDaemon(true);
        return daemon;
    });
    /** When each location was last asked for (nanoTime), so that a flood of unknown keys asks once per RETRY. */
    private final Map<String, Long> askedAt = new ConcurrentHashMap<>();

    /**
     * @param locations the providers' JWKS: {@code https:} (or a local {@code http:}) URLs, {@code file:} locations
     *                  {@code classpath:} resources or plain paths
     */
    public IssuerKeySets(Collection<String> locations, Duration refresh, Listener listener) {
        this.locations = List.copyOf(locations);
        this.refresh = refresh;
        this.listener = listener;
    }

    /**
     * Reads every provider's keys now, on the calling thread (the service's start), then keeps them fresh on the
     * refresh thread. A provider that does not answer yet is logged and asked again every {@link #RETRY}: its
     * tokens are refused until it does.
     */
    public void start() {
        for (String location : locations) {
            if (!read(location)) {
                retry(location);
            }
        }
        long every = refresh.toMillis();
        thread.scheduleWithFixedDelay(() -> locations.forEach(this::read), every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A token named a key the provider's keys do not hold (or failed to verify): read them again on the refresh
     * thread, unless they were read less than {@link #RETRY} ago. Never blocks the caller.
     */
    public void refreshSoon(String location) {
        Long last = askedAt.get(location);
        if (last != null && System.nanoTime() - last < RETRY.toNanos()) {
            return;
        }
        askedAt.put(location, System.nanoTime());
        thread.execute(() -> read(location));
    }

    private void retry(String location) {
        thread.schedule(() -> {
            if (!read(location)) {
                retry(location);
            }
        }, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads one provider's keys and hands them on; {@code false} (logged) when it could not. */
    private boolean read(String location) {
        askedAt.put(location, System.nanoTime());
        try {
            listener.keys(location, fetch(location));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "the keys at " + location + " could not be read (" + e.getMessage()
                    + "); tokens of that identity provider are refused until they are");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String fetch(String location) throws IOException, InterruptedException {
        if (location.startsWith("http:") || location.startsWith("https:")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(location)).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("answered " + response.statusCode());
            }
            return requireKeys(response.body());
        }
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no such resource");
                }
                return requireKeys(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Path path = location.startsWith("file:/") ? Path.of(URI.create(location))
                : Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        return requireKeys(Files.readString(path, StandardCharsets.UTF_8));
    }

    private static String requireKeys(String document) throws IOException {
        if (document == null || !document.contains("\"keys\"")) {
            throw new IOException("not a JWKS document");
        }
        return document;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
