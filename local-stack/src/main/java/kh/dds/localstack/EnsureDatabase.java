package kh.dds.localstack;

/**
 * Creates a PostgreSQL database unless it exists, for scripts on machines that may have no {@code psql}.
 *
 * <pre>
 * java -cp ... kh.dds.localstack.EnsureDatabase --host 127.0.0.1 --port 5432 --user postgres --db dds
 * </pre>
 * The password, if any, comes from the environment variable {@code DDS_PG_PASSWORD} (not the command line, which
 * {@code ps} shows).
 */
public final class EnsureDatabase {

    private static final String USAGE =
            "usage: EnsureDatabase [--host 127.0.0.1] [--port 5432] [--user postgres] --db NAME [--schema NAME]";

    private EnsureDatabase() {
    }

    public static void main(String[] args) {
        Options.run("EnsureDatabase", () -> {
            Options options = Options.parse(args, USAGE);
            PostgresEndpoint endpoint = new PostgresEndpoint(options.optional("host", "127.0.0.1"),
                    options.port("port", 5432), options.optional("user", "postgres"),
                    Settings.system().get("DDS_PG_PASSWORD", ""), false);
            String database = options.required("db");
            boolean created = endpoint.ensureDatabase(database);
            System.out.println("database " + database + " on " + endpoint.host() + ":" + endpoint.port() + ": "
                    + (created ? "created" : "exists"));
            String schema = options.optional("schema", null);
            if (schema != null) {
                endpoint.ensureSchema(database, schema);
                System.out.println("schema " + database + "." + schema + ": present");
            }
        });
    }
}
