package kh.dds.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command: {@code --name value} pairs and {@code --flag}s. Each getter names its default; an
 * option that no getter asked for is reported by {@link #rejectUnused()}, so a misspelt option is never ignored.
 */
final class Arguments {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();

    Arguments(String[] args, int from, Set<String> flags) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (flags.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            if (values.put(name, value) != null) {
                throw new UsageException("--" + name + " given twice");
            }
        }
    }

    boolean has(String name) {
        used.add(name);
        return values.containsKey(name);
    }

    String text(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        used.add(name);
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    boolean flag(String name) {
        used.add(name);
        String value = values.get(name);
        if (value == null) {
            return false;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new UsageException("--" + name + " takes no value (or =true/=false)");
    }

    long number(String name, long fallback, long min, long max) {
        used.add(name);
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max);
        }
        return parsed;
    }

    double decimal(String name, double fallback, double min) {
        used.add(name);
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.replace("_", ""));
            if (parsed < min || Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new UsageException("--" + name + " must be at least " + min);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + value + "'");
        }
    }

    LocalDate date(String name, LocalDate fallback) {
        used.add(name);
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + name + " must be a date YYYY-MM-DD, got '" + value + "'");
        }
    }

    Duration seconds(String name, Duration fallback) {
        long seconds = number(name, fallback == null ? -1 : fallback.toSeconds(), 1, Long.MAX_VALUE / 1_000_000_000L);
        return seconds < 0 ? null : Duration.ofSeconds(seconds);
    }

    Path path(String name) {
        String value = text(name, null);
        return value == null ? null : Path.of(value);
    }

    void rejectUnused() {
        for (String name : values.keySet()) {
            if (!used.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    /** A mistake on the command line: the message and the usage are printed, the exit code is 2. */
    static final class UsageException extends RuntimeException {

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
