package kh.dds.localstack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server that answers: where it is, who to log in as, and whether this JVM started it.
 *
 * @param password empty when the server trusts local connections
 * @param embedded true when {@link LocalServices} started it in this JVM
 */
public record PostgresEndpoint(String host, int port, String username, String password, boolean embedded) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public PostgresEndpoint {
        password = password == null ? "" : password;
    }

    /** {@code jdbc:postgresql://host:port/db}, for Flyway and plain JDBC. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** {@code postgresql://host:port/db}, the form {@code quarkus.datasource.reactive.url} takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public boolean hasPassword() {
        return !password.isEmpty();
    }

    /** A Quarkus service's datasource for {@code database}, as environment variables of its process. */
    public Map<String, String> quarkusEnvironment(String database) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", reactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", username);
        if (hasPassword()) {
            env.put("QUARKUS_DATASOURCE_PASSWORD", password);
        }
        return env;
    }

    /** Opens a JDBC connection to {@code database}; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        return connect(database, 10);
    }

    Connection connect(String database, int timeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", username);
        if (hasPassword()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("socketTimeout", "60");
        props.setProperty("ApplicationName", "dds-local-stack");
        // the driver directly, not DriverManager: a Quarkus test class loader may not see the driver's registration
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl(database), props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver refused " + jdbcUrl(database));
        }
        return connection;
    }

    /**
     * Creates {@code database} unless it exists. Safe to call from several JVMs at once.
     *
     * @return true if this call created it
     */
    public boolean ensureDatabase(String database) {
        String name = identifier(database);
        try (Connection connection = connect("postgres")) {
            try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database \"" + name + "\"");
                return true;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) { // duplicate_database: another JVM was quicker
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database " + name + " on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The same server as one service's own login ({@link ServiceRole}), as the service itself connects.
     *
     * @param password empty where the server trusts local connections (the tests' servers)
     */
    public PostgresEndpoint as(ServiceRole role, String password) {
        return new PostgresEndpoint(host, port, role.roleName(), password, embedded);
    }

    /**
     * Creates {@code database} unless it exists and gives it the services' roles, schemas and grants
     * ({@link DatabaseRoles}); this endpoint must be a superuser's. Passwords are left as they are.
     */
    public void ensureRoles(String database) {
        ensureDatabase(database);
        DatabaseRoles.ensure(this, database, Map.of());
    }

    /** Creates {@code schema} in {@code database} unless it exists (the database is created first if needed). */
    public void ensureSchema(String database, String schema) {
        ensureDatabase(database);
        String name = identifier(schema);
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("create schema if not exists \"" + name + "\"");
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState()) || "42P06".equals(e.getSQLState())) {
                return; // created concurrently by another JVM
            }
            throw new IllegalStateException("could not create the schema " + name + " in " + database + ": "
                    + e.getMessage(), e);
        }
    }

    private static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }

    @Override
    public String toString() {
        return "PostgreSQL " + host + ":" + port + " as " + username + (embedded ? " (embedded)" : "");
    }
}
