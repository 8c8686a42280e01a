package kh.dds.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK of a given feature version or newer for a tool that needs one (Keycloak 26 needs 21) while the project
 * itself builds on 17. In order: the setting {@code DDS_KEYCLOAK_JAVA_HOME} (which must then be such a JDK), this
 * JVM, {@code JAVA_HOME}, then the newest among the usual install folders: {@code /usr/lib/jvm} (Debian, Ubuntu,
 * Fedora), {@code /usr/java}, {@code /opt/java}, {@code /opt}, and {@code ~/.sdkman/candidates/java} and
 * {@code ~/.jdks}. A JDK's version is read from its {@code release} file.
 */
public final class JavaHomes {

    static final int KEYCLOAK_FEATURE = 21;
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private JavaHomes() {
    }

    /** A JDK that runs Keycloak, or a failure that says where it looked and how to name one. */
    public static Path forKeycloak() {
        Optional<String> configured = Settings.system().find("DDS_KEYCLOAK_JAVA_HOME");
        if (configured.isPresent()) {
            Path home = Path.of(configured.get());
            int feature = feature(home).orElseThrow(() -> new IllegalStateException(
                    "DDS_KEYCLOAK_JAVA_HOME=" + home + " is not a JDK (no bin/java and release file)"));
            if (feature < KEYCLOAK_FEATURE) {
                throw new IllegalStateException("DDS_KEYCLOAK_JAVA_HOME=" + home + " is Java " + feature
                        + "; Keycloak needs Java " + KEYCLOAK_FEATURE + " or newer");
            }
            return home;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        Optional.ofNullable(System.getenv("JAVA_HOME")).filter(s -> !s.isBlank()).map(Path::of)
                .ifPresent(candidates::add);
        for (Path first : candidates) {
            if (feature(first).orElse(0) >= KEYCLOAK_FEATURE) {
                return first;
            }
        }
        String userHome = System.getProperty("user.home");
        List<Path> folders = List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
                Path.of("/opt"), Path.of(userHome, ".sdkman", "candidates", "java"), Path.of(userHome, ".jdks"));
        return folders.stream()
                .flatMap(JavaHomes::children)
                .filter(home -> feature(home).orElse(0) >= KEYCLOAK_FEATURE)
                .max(Comparator.comparingInt((Path home) -> feature(home).orElse(0)))
                .orElseThrow(() -> new IllegalStateException("Keycloak needs a JDK " + KEYCLOAK_FEATURE
                        + " or newer and none was found (this JVM, JAVA_HOME, " + folders + "): install one "
                        + "(Debian: a Temurin or OpenJDK 21+ package) or set DDS_KEYCLOAK_JAVA_HOME"));
    }

    /** The feature version of the JDK at {@code home}, from its {@code release} file. */
    static Optional<Integer> feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isReadable(release)) {
            return Optional.empty();
        }
        try {
            Matcher matcher = VERSION.matcher(Files.readString(release));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Stream<Path> children(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
