package kh.dds.localstack;

import java.util.Map;
import java.util.Optional;

/**
 * Where the local stack reads its settings ({@code DDS_PG_HOST}, {@code KAFKA_BOOTSTRAP_SERVERS}, ...): a system
 * property wins over the environment variable of the same name, and a blank value counts as unset (an empty
 * {@code KAFKA_BOOTSTRAP_SERVERS=""} must not point a client at nothing).
 */
@FunctionalInterface
public interface Settings {

    Optional<String> find(String name);

    default String get(String name, String fallback) {
        return find(name).orElse(fallback);
    }

    default boolean flag(String name) {
        return find(name).map(v -> v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"))
                .orElse(false);
    }

    /** System properties, then environment variables. */
    static Settings system() {
        return name -> nonBlank(System.getProperty(name)).or(() -> nonBlank(System.getenv(name)));
    }

    /** Fixed values, for tests. */
    static Settings of(Map<String, String> values) {
        return name -> nonBlank(values.get(name));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
