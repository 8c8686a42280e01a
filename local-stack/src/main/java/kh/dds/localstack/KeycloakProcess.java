package kh.dds.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Keycloak, the identity provider people sign in at (and relying parties may take their tokens from), run from the
 * {@code org.keycloak:keycloak-quarkus-dist} zip of Maven Central in a process of its own, with the realm
 * {@code dds} ({@code keycloak/dds-realm.json} of this module) imported at every start into an in-memory database.
 *
 * <p>Keycloak 26 needs Java 21 or newer while this project builds on 17: the JDK it runs on is
 * {@code DDS_KEYCLOAK_JAVA_HOME} when set, else the first JDK 21+ among this JVM, {@code JAVA_HOME} and the usual
 * install folders ({@link JavaHomes}). Without one, or without the unpacked distribution ({@code DDS_KEYCLOAK_HOME};
 * the build unpacks it into the root {@code target/keycloak}), start-up fails and says which is missing.
 *
 * <p>One Keycloak serves a whole build, like the Kafka broker serves a test JVM: {@link #shared()} reuses the one
 * that a previous test JVM of the build started (its port, pid and admin password are in
 * {@code keycloak.properties} beside the distribution, under a file lock) when it still answers with the same realm,
 * and starts one otherwise. It outlives the JVM that started it, so that the next module's tests find it;
 * {@code bin/dds-test} stops it at the end of the build (the pid in that file).
 */
public final class KeycloakProcess {

    public static final String REALM = "dds";
    private static final String REALM_RESOURCE = "/keycloak/dds-realm.json";
    private static final String STATE_FILE = "keycloak.properties";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.parseLong(Settings.system().get("DDS_KEYCLOAK_START_TIMEOUT", "180")));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static KeycloakProcess shared;

    private final int port;
    private final long pid;
    private final String adminPassword;

    private KeycloakProcess(int port, long pid, String adminPassword) {
        this.port = port;
        this.pid = pid;
        this.adminPassword = adminPassword;
    }

    /** The build's Keycloak: the running one if it answers with this realm, else a new one. */
    public static synchronized KeycloakProcess shared() {
        if (shared == null) {
            Path home = home();
            shared = underLock(stateDir(home), () -> reuseOrStart(home, stateDir(home)));
        }
        return shared;
    }

    /** Starts a Keycloak on {@code port} and waits until the realm answers; its log goes to {@code stateDir}. */
    public static KeycloakProcess start(Path home, Path stateDir, int port) throws IOException, InterruptedException {
        Path javaHome = JavaHomes.forKeycloak();
        Path importDir = home.resolve("data").resolve("import");
        Files.createDirectories(importDir);
        Files.write(importDir.resolve(REALM + "-realm.json"), realmJson());
        String adminPassword = randomSecret();
        Files.createDirectories(stateDir);
        Path log = stateDir.resolve("keycloak.log");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve("kc.sh").toString(),
                "start-dev", "--http-port=" + port, "--http-host=127.0.0.1", "--db=dev-mem", "--import-realm",
                "--http-management-port=" + freePort(), "--cache=local"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("JAVA_OPTS_KC_HEAP", Settings.system().get("DDS_KEYCLOAK_HEAP", "-Xms64m -Xmx512m"));
        long started = System.nanoTime();
        Process process = builder.start();
        KeycloakProcess keycloak = new KeycloakProcess(port, process.pid(), adminPassword);
        long deadline = started + START_TIMEOUT.toNanos();
        while (!keycloak.answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Keycloak did not answer within " + START_TIMEOUT.toSeconds()
                        + " s (DDS_KEYCLOAK_START_TIMEOUT); see " + log);
            }
            Thread.sleep(250);
        }
        System.getLogger(KeycloakProcess.class.getName()).log(System.Logger.Level.INFO,
                "Keycloak answered on port {0} after {1} ms (Java at {2})", port,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), javaHome);
        return keycloak;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return pid;
    }

    /** The password of Keycloak's bootstrap administrator {@code admin} (realm {@code master}). */
    public String adminPassword() {
        return adminPassword;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The {@code iss} of the realm's tokens. */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    public String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    public String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** The realm's administration, as Keycloak's bootstrap administrator. */
    public KeycloakRealm realm() {
        return new KeycloakRealm(baseUrl(), REALM, adminPassword);
    }

    /** Whether the realm's discovery document answers. */
    public boolean answers() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(issuer() + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the process (and its children: kc.sh runs Java). */
    public void stop() {
        ProcessHandle.of(pid).ifPresent(handle -> {
            handle.descendants().forEach(ProcessHandle::destroy);
            handle.destroy();
        });
    }

    /**
     * For {@code bin/dds-up}: {@code run} starts Keycloak on {@code DDS_KEYCLOAK_PORT}
     * (default: a free port), prints its issuer and stays until stopped (SIGTERM stops Keycloak too);
     * {@code stop} stops the one the state names; {@code bind-contract USERNAME CONTRACT_ID} binds a user of the
     * realm to a contract. The distribution is {@code DDS_KEYCLOAK_HOME}, the state (port, pid, administrator's
     * password, log) goes to {@code DDS_KEYCLOAK_STATE} (default: beside the distribution).
     */
    public static void main(String[] args) throws Exception {
        String action = args.length == 0 ? "run" : args[0];
        Path home = home();
        Path state = stateDir(home);
        switch (action) {
            case "run" -> {
                int port = Settings.system().find("DDS_KEYCLOAK_PORT").map(Integer::parseInt).orElse(freePort());
                KeycloakProcess keycloak = underLock(state, () -> {
                    running(state).ifPresent(KeycloakProcess::stop);
                    KeycloakProcess started = start(home, state, port);
                    writeState(state, started, realmHash());
                    return started;
                });
                Runtime.getRuntime().addShutdownHook(new Thread(keycloak::stop));
                System.out.println("KEYCLOAK_ISSUER=" + keycloak.issuer());
                System.out.flush();
                ProcessHandle.of(keycloak.pid()).ifPresent(handle -> handle.onExit().join());
            }
            case "stop" -> underLock(state, () -> {
                running(state).ifPresent(KeycloakProcess::stop);
                Files.deleteIfExists(state.resolve(STATE_FILE));
                return null;
            });
            case "bind-contract" -> {
                KeycloakProcess keycloak = running(state)
                        .orElseThrow(() -> new IllegalStateException("no Keycloak runs with its state in " + state));
                keycloak.realm().bindContract(args[1], args[2]);
            }
            default -> throw new IllegalArgumentException("run, stop or bind-contract, not " + action);
        }
    }

    // ------------------------------------------------------------------ the build's one Keycloak

    private static KeycloakProcess reuseOrStart(Path home, Path dir) throws IOException, InterruptedException {
        String realmHash = realmHash();
        var running = running(dir);
        if (running.isPresent()) {
            Properties properties = read(dir.resolve(STATE_FILE));
            if (realmHash.equals(properties.getProperty("realm")) && running.get().answers()) {
                return running.get();
            }
            running.get().stop();
        }
        KeycloakProcess keycloak = start(home, dir, freePort());
        writeState(dir, keycloak, realmHash);
        return keycloak;
    }

    private static void writeState(Path dir, KeycloakProcess keycloak, String realmHash) throws IOException {
        Path state = dir.resolve(STATE_FILE);
        Properties properties = new Properties();
        properties.setProperty("port", Integer.toString(keycloak.port));
        properties.setProperty("pid", Long.toString(keycloak.pid));
        properties.setProperty("adminPassword", keycloak.adminPassword);
        properties.setProperty("realm", realmHash);
        Files.deleteIfExists(state);
        Files.createFile(state, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(state)) {
            properties.store(out, "a running Keycloak: its port, process and bootstrap administrator");
        }
    }

    /** Where the state file, the lock and the log are: {@code DDS_KEYCLOAK_STATE}, else beside the distribution. */
    static Path stateDir(Path home) {
        return Settings.system().find("DDS_KEYCLOAK_STATE").map(Path::of).orElse(home.getParent())
                .toAbsolutePath();
    }

    /** The Keycloak the state file names, if its process is still alive. */
    private static java.util.Optional<KeycloakProcess> running(Path dir) throws IOException {
        Path state = dir.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            return java.util.Optional.empty();
        }
        Properties properties = read(state);
        long pid = Long.parseLong(properties.getProperty("pid", "-1"));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return java.util.Optional.of(new KeycloakProcess(Integer.parseInt(properties.getProperty("port")), pid,
                    properties.getProperty("adminPassword")));
        }
        return java.util.Optional.empty();
    }

    private interface Work<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Across JVMs: two test JVMs (or a test JVM and {@code bin/dds-up}) never start two Keycloaks. */
    private static <T> T underLock(Path dir, Work<T> work) {
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve("keycloak.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                return work.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Keycloak", e);
        }
    }

    /** The unpacked distribution: {@code DDS_KEYCLOAK_HOME}, which the build's tests get from the root pom. */
    static Path home() {
        Path home = Settings.system().find("DDS_KEYCLOAK_HOME").map(Path::of).orElseThrow(() ->
                new IllegalStateException("DDS_KEYCLOAK_HOME is not set: it names the unpacked "
                        + "keycloak-quarkus-dist (the build unpacks it into target/keycloak of the repository)"));
        if (!Files.isExecutable(home.resolve("bin").resolve("kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home + " (DDS_KEYCLOAK_HOME): build "
                    + "the local-stack module, which unpacks org.keycloak:keycloak-quarkus-dist from Maven Central");
        }
        return home.toAbsolutePath();
    }

    private static byte[] realmJson() throws IOException {
        try (InputStream in = KeycloakProcess.class.getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the realm " + REALM_RESOURCE + " is not on the classpath");
            }
            return in.readAllBytes();
        }
    }

    private static String realmHash() throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(realmJson()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
