package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code dds-roles.sql} through {@link DatabaseRoles}: each service owns its schemas, reads only what it is granted,
 * writes nothing of another's; a database made before it is upgraded in place; it runs again, and at once from
 * several JVMs, without harm.
 */
class DatabaseRolesTest {

    private static final String FRESH = "dds_local_stack_roles_fresh";
    private static final String UPGRADED = "dds_local_stack_roles_upgraded";

    private final PostgresEndpoint superuser = LocalServices.get().postgres();

    @Test
    void eachServiceOwnsItsSchemasAndReadsOnlyWhatItIsGranted() throws Exception {
        recreate(FRESH);
        superuser.ensureRoles(FRESH);
        superuser.ensureRoles(FRESH); // again: nothing changes, nothing fails

        assertEquals("dds_replica", schemaOwner(FRESH, "replica"));
        assertEquals("dds_api", schemaOwner(FRESH, "api"));
        assertEquals("dds_api", schemaOwner(FRESH, "audit"));
        assertEquals("dds_billing", schemaOwner(FRESH, "billing"));

        // tables made by each owner after the setup, as its migrations would
        as(ServiceRole.REPLICA, FRESH, "CREATE TABLE replica.person (kidc text PRIMARY KEY)",
                "INSERT INTO replica.person VALUES ('1000000028')");
        // the API's V2 migration: CREATE SCHEMA IF NOT EXISTS on a schema that exists
        as(ServiceRole.API, FRESH, "CREATE SCHEMA IF NOT EXISTS audit",
                "CREATE TABLE api.api_client (client_id text PRIMARY KEY, status text)",
                "INSERT INTO api.api_client VALUES ('c1', 'ACTIVE')",
                "CREATE TABLE audit.lookup_record (id int, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE audit.lookup_record_2026_01 PARTITION OF audit.lookup_record "
                        + "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
                "INSERT INTO audit.lookup_record VALUES (1, '2026-01-05')");
        as(ServiceRole.BILLING, FRESH, "CREATE TABLE billing.usage_daily (n int)",
                "INSERT INTO billing.usage_daily VALUES (1)");

        // reads granted, for tables created after the grants (default privileges)
        assertEquals(1, count(ServiceRole.API, FRESH, "replica.person"));
        assertEquals(1, count(ServiceRole.BILLING, FRESH, "api.api_client"));
        assertEquals(1, count(ServiceRole.BILLING, FRESH, "audit.lookup_record"));

        // writes refused
        assertDenied(ServiceRole.BILLING, FRESH, "UPDATE api.api_client SET status = 'REVOKED'");
        assertDenied(ServiceRole.BILLING, FRESH, "INSERT INTO api.api_client VALUES ('c2', 'ACTIVE')");
        assertDenied(ServiceRole.BILLING, FRESH, "DELETE FROM api.api_client");
        assertDenied(ServiceRole.BILLING, FRESH, "INSERT INTO audit.lookup_record VALUES (2, '2026-01-06')");
        assertDenied(ServiceRole.BILLING, FRESH, "CREATE TABLE api.forged (n int)");
        assertDenied(ServiceRole.API, FRESH, "UPDATE billing.usage_daily SET n = 2");
        assertDenied(ServiceRole.API, FRESH, "SELECT * FROM billing.usage_daily");
        assertDenied(ServiceRole.API, FRESH, "DELETE FROM replica.person");
        assertDenied(ServiceRole.REPLICA, FRESH, "SELECT * FROM api.api_client");
        assertDenied(ServiceRole.REPLICA, FRESH, "INSERT INTO api.api_client VALUES ('c3', 'ACTIVE')");
        assertDenied(ServiceRole.BILLING, FRESH, "CREATE SCHEMA elsewhere");
        assertDenied(ServiceRole.REPLICA, FRESH, "CREATE TABLE public.anything (n int)");
    }

    @Test
    void aDatabaseTheSuperuserOwnedIsUpgradedInPlace() throws Exception {
        recreate(UPGRADED);
        try (Connection connection = superuser.connect(UPGRADED); Statement statement = connection.createStatement()) {
            // as the services' Flyway made it before there were roles
            statement.execute("CREATE SCHEMA replica");
            statement.execute("CREATE TABLE replica.person (kidc text PRIMARY KEY, n bigserial)");
            statement.execute("INSERT INTO replica.person (kidc) VALUES ('1000000028')");
            statement.execute("CREATE TABLE replica.replica_schema_history (installed_rank int, type text)");
            statement.execute("INSERT INTO replica.replica_schema_history VALUES (0, 'SCHEMA'), (1, 'SQL')");
            statement.execute("CREATE SCHEMA api");
            statement.execute("CREATE TABLE api.api_client (client_id text PRIMARY KEY)");
            statement.execute("INSERT INTO api.api_client VALUES ('c1')");
            statement.execute("CREATE SCHEMA audit");
            statement.execute("CREATE TABLE audit.lookup_record (id int, at date) PARTITION BY RANGE (at)");
            statement.execute("CREATE TABLE audit.lookup_record_2026_01 PARTITION OF audit.lookup_record "
                    + "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')");
            statement.execute("CREATE SCHEMA billing");
            statement.execute("CREATE SEQUENCE billing.document_number");
            statement.execute("CREATE FUNCTION billing.refuse() RETURNS trigger LANGUAGE plpgsql "
                    + "AS $$ BEGIN RAISE EXCEPTION 'no'; END $$");
        }

        superuser.ensureRoles(UPGRADED);

        assertEquals(List.of(), foreignOwned(UPGRADED), "every object belongs to its schema's service");
        try (Connection connection = superuser.connect(UPGRADED); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM replica.replica_schema_history "
                     + "WHERE type = 'SCHEMA'")) {
            rows.next();
            assertEquals(0, rows.getInt(1), "Flyway's record of creating the schema is gone: a clean empties it");
        }
        assertEquals(1, count(ServiceRole.API, UPGRADED, "replica.person"));
        assertEquals(1, count(ServiceRole.BILLING, UPGRADED, "api.api_client"));
        assertEquals(0, count(ServiceRole.BILLING, UPGRADED, "audit.lookup_record"));
        assertDenied(ServiceRole.BILLING, UPGRADED, "UPDATE api.api_client SET client_id = 'x'");
        // the owners can do what their migrations and retention do
        as(ServiceRole.API, UPGRADED, "DROP TABLE audit.lookup_record_2026_01");
        as(ServiceRole.REPLICA, UPGRADED, "TRUNCATE replica.person", "INSERT INTO replica.person (kidc) VALUES ('x')");
        as(ServiceRole.BILLING, UPGRADED, "SELECT nextval('billing.document_number')",
                "DROP FUNCTION billing.refuse()");
    }

    @Test
    void severalJvmsMaySetUpOneDatabaseAtOnce() throws Exception {
        String database = "dds_local_stack_roles_concurrent";
        recreate(database);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> superuser.ensureRoles(database)));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals("dds_billing", schemaOwner(database, "billing"));
    }

    // ------------------------------------------------------------------

    private void recreate(String database) throws SQLException {
        try (Connection connection = superuser.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        superuser.ensureDatabase(database);
    }

    private String schemaOwner(String database, String schema) throws SQLException {
        try (Connection connection = superuser.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT nspowner::regrole::text FROM pg_namespace "
                     + "WHERE nspname = '" + schema + "'")) {
            assertTrue(rows.next(), schema + " exists");
            return rows.getString(1);
        }
    }

    /** Tables, sequences and functions of the four schemas whose owner is not the schema's. */
    private List<String> foreignOwned(String database) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = superuser.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname IN ('replica', 'api', 'audit', 'billing') AND c.relowner <> n.nspowner
                     UNION ALL
                     SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname IN ('replica', 'api', 'audit', 'billing') AND p.proowner <> n.nspowner""")) {
            while (rows.next()) {
                found.add(rows.getString(1));
            }
        }
        return found;
    }

    private void as(ServiceRole role, String database, String... statements) throws SQLException {
        try (Connection connection = superuser.as(role, "").connect(database);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private long count(ServiceRole role, String database, String table) throws SQLException {
        try (Connection connection = superuser.as(role, "").connect(database);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void assertDenied(ServiceRole role, String database, String sql) {
        SQLException refused = assertThrows(SQLException.class, () -> as(role, database, sql),
                role.roleName() + " must not: " + sql);
        assertEquals("42501", refused.getSQLState(), role.roleName() + ": " + sql + ": " + refused.getMessage());
        assertFalse(refused.getMessage().isBlank());
    }
}
