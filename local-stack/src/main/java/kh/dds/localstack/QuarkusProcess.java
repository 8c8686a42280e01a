package kh.dds.localstack;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run as a process of its own on a free
 * port of 127.0.0.1, configured by environment variables, with its output in a log file — for tests that must kill
 * a service as a crash would, or run several nodes of it.
 *
 * <pre>{@code
 * try (QuarkusProcess billing = QuarkusProcess.start("billing", jar, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka))) {
 *     billing.awaitReady(Duration.ofSeconds(90));
 *     billing.kill();          // SIGKILL
 * }
 * }</pre>
 */
public final class QuarkusProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final File log;

    private QuarkusProcess(String name, int port, Process process, File log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code jar} with {@code settings} as its environment (plus {@code QUARKUS_HTTP_PORT}), 384 MB of heap. */
    public static QuarkusProcess start(String name, Path jar, Map<String, String> settings) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built: package " + name + " first");
        }
        int port = LocalServices.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(settings);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        File log = Files.createTempFile(name + "-node", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        System.out.println(name + " node on port " + port + ", log: " + log);
        return new QuarkusProcess(name, port, builder.start(), log);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log.toPath();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails at once if the process exits. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as in a crash: no shutdown hook, no last commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public String toString() {
        return name + " on " + url();
    }
}
