package kh.dds.localstack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Prints one active person of the replica, for a ready-to-run verification request on machines that may have no
 * {@code psql}: {@code kidc}, {@code familyNameLatin}, {@code givenNameLatin} and {@code dateOfBirth}, separated by
 * tabs, on one line. The person is an adult (a bank's customer) with a full birth date and plain Latin names (letters,
 * spaces, hyphens), so the values can be pasted into JSON and a shell command as they are. Exits 1 when the replica
 * holds no such person.
 *
 * <pre>
 * java -cp ... kh.dds.localstack.SamplePerson --host 127.0.0.1 --port 5432 --user postgres --db dds
 * </pre>
 * The password, if any, comes from the environment variable {@code DDS_PG_PASSWORD} (not the command line, which
 * {@code ps} shows).
 */
public final class SamplePerson {

    private static final String USAGE =
            "usage: SamplePerson [--host 127.0.0.1] [--port 5432] [--user postgres] --db NAME";

    // the primary key's order: the first rows of the index, not a scan of the table
    private static final String QUERY = """
            SELECT kidc, record->>'familyNameLatin', record->>'givenNameLatin', record->>'dateOfBirth'
              FROM replica.person
             WHERE status = 'ACTIVE'
               AND birth_precision = 'D'
               AND birth_date <= current_date - interval '18 years'
               AND record->>'familyNameLatin' ~ '^[A-Za-z][A-Za-z -]*$'
               AND record->>'givenNameLatin' ~ '^[A-Za-z][A-Za-z -]*$'
             ORDER BY kidc
             LIMIT 1""";

    private SamplePerson() {
    }

    public static void main(String[] args) {
        Options.run("SamplePerson", () -> {
            Options options = Options.parse(args, USAGE);
            PostgresEndpoint endpoint = new PostgresEndpoint(options.optional("host", "127.0.0.1"),
                    options.port("port", 5432), options.optional("user", "postgres"),
                    Settings.system().get("DDS_PG_PASSWORD", ""), false);
            String database = options.required("db");
            try (Connection connection = endpoint.connect(database);
                 PreparedStatement statement = connection.prepareStatement(QUERY);
                 ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("replica.person in " + database + " on " + endpoint.host() + ":"
                            + endpoint.port() + " holds no active adult with a full birth date and Latin names");
                }
                System.out.println(String.join("\t", rows.getString(1).trim(), rows.getString(2), rows.getString(3),
                        rows.getString(4)));
            }
        });
    }
}
