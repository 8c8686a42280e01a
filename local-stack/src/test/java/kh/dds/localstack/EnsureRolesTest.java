package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run's role passwords: generated once, private to their owner, and set on the roles. */
class EnsureRolesTest {

    @Test
    void aRolesPasswordIsGeneratedOnceAndReadableByItsOwnerAlone(@TempDir Path dir) throws Exception {
        String first = EnsureRoles.password(dir, ServiceRole.BILLING);
        Path file = dir.resolve("dds_billing.password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(first.matches("[A-Za-z0-9]{32}"), "32 letters and digits");
        assertEquals(first, EnsureRoles.password(dir, ServiceRole.BILLING), "kept across runs");
        assertNotEquals(first, EnsureRoles.password(dir, ServiceRole.API), "one per role");
    }

    @Test
    void theGivenPasswordsAreSetOnTheRoles() throws Exception {
        PostgresEndpoint superuser = LocalServices.get().postgres();
        String database = "dds_local_stack_roles_passwords";
        superuser.ensureDatabase(database);
        DatabaseRoles.ensure(superuser, database, Map.of(ServiceRole.REPLICA, "a-test-only-password"));
        try (Connection connection = superuser.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = 'dds_replica'")) {
            assertTrue(rows.next());
            assertTrue(rows.getBoolean(1), "dds_replica has a password");
        }
    }
}
