package kh.dds.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Gives a database the services' login roles, their schemas and their grants: {@code dds-roles.sql}, the very file
 * the Kubernetes Job {@code postgres-roles} runs ({@code k8s/base/postgres/dds-roles.sql}, copied onto this module's
 * classpath by its build), so the tests, the local run and a cluster share one model of who owns and reads what.
 * Idempotent, and it upgrades a database whose schemas and tables a superuser owns (as every database made before
 * it) in place.
 */
public final class DatabaseRoles {

    static final String SCRIPT = "/kh/dds/localstack/dds-roles.sql";
    private static final int ATTEMPTS = 5;

    private DatabaseRoles() {
    }

    /**
     * Runs the script in {@code database} as {@code superuser} in one transaction, then sets the passwords given
     * (none in the tests: the servers they use trust local connections, and a role's password is left as it is).
     */
    public static void ensure(PostgresEndpoint superuser, String database, Map<ServiceRole, String> passwords) {
        String script = script();
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = superuser.connect(database)) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute(script);
                    for (Map.Entry<ServiceRole, String> password : passwords.entrySet()) {
                        statement.execute("ALTER ROLE " + password.getKey().roleName() + " PASSWORD '"
                                + password.getValue().replace("'", "''") + "'");
                    }
                    connection.commit();
                    return;
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                // two databases of one server changing the same role at once: "tuple concurrently updated"
                boolean concurrent = "XX000".equals(e.getSQLState()) || "40001".equals(e.getSQLState())
                        || "40P01".equals(e.getSQLState());
                if (!concurrent || attempt == ATTEMPTS) {
                    throw new IllegalStateException("could not set up the services' roles in " + database + " on "
                            + superuser.host() + ":" + superuser.port() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static String script() {
        try (InputStream in = DatabaseRoles.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the classpath (local-stack's build copies it "
                        + "from k8s/base/postgres)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
