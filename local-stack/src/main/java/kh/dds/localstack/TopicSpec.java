package kh.dds.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A topic to create: its name, partition count and topic configs.
 * Written on a command line as {@code name:partitions[:key=value[,key=value...]]}, for example
 * {@code registry.person-changes:12:cleanup.policy=compact}.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a topic needs a name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition");
        }
        configs = Map.copyOf(configs);
    }

    public static TopicSpec parse(String text) {
        String[] parts = text.split(":", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("expected name:partitions[:key=value,...], got " + text);
        }
        Map<String, String> configs = new LinkedHashMap<>();
        if (parts.length == 3 && !parts[2].isBlank()) {
            for (String pair : parts[2].split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("expected key=value in " + text + ", got " + pair);
                }
                configs.put(kv[0].trim(), kv[1].trim());
            }
        }
        return new TopicSpec(parts[0].trim(), Integer.parseInt(parts[1].trim()), configs);
    }
}
