package kh.dds.localstack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs of a main class; a name may repeat. */
final class Options {

    private final String usage;
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Options(String usage) {
        this.usage = usage;
    }

    static Options parse(String[] args, String usage) {
        Options options = new Options(usage);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new UsageException(usage);
            }
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                throw new UsageException("unexpected argument " + arg + "\n" + usage);
            }
            options.values.computeIfAbsent(arg.substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        return options;
    }

    String required(String name) {
        List<String> list = values.get(name);
        if (list == null) {
            throw new UsageException("missing --" + name + "\n" + usage);
        }
        return list.get(list.size() - 1);
    }

    String optional(String name, String fallback) {
        List<String> list = values.get(name);
        return list == null ? fallback : list.get(list.size() - 1);
    }

    int port(String name, int fallback) {
        String text = optional(name, Integer.toString(fallback));
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is not a port: " + text + "\n" + usage);
        }
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** A command line that cannot be run: the main prints the message and exits with status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Runs a main body: usage errors exit 2, other failures exit 1, each with a one-line message. */
    static void run(String program, MainBody body) {
        try {
            body.run();
        } catch (UsageException e) {
            System.err.println(program + ": " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println(program + ": " + e.getMessage());
            System.exit(1);
        }
    }

    @FunctionalInterface
    interface MainBody {
        void run() throws Exception;
    }
}
