package kh.dds.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.localstack.ServiceRole;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each service's PostgreSQL role does what its service needs and nothing more, on the schemas as the services'
 * own migrations make them: billing reads the API's contracts, clients and tariffs and the audit ledger but cannot
 * change them; the API reads the replica but cannot write it or touch billing's; the replica sees nothing of
 * either. Billing itself runs as its role here (as in every billing test), so a grant it lacks fails its tests.
 */
@QuarkusTest
@WithTestResource(BillingTestResource.class)
class LeastPrivilegeTest {

    private static final String PERMISSION_DENIED = "42501";

    @BeforeAll
    static void replicaSchema() {
        // the replica's read model, migrated as the replica migrates it, by its own role
        PostgresEndpoint replica = superuser().as(ServiceRole.REPLICA, "");
        Flyway.configure()
                .dataSource(replica.jdbcUrl(BillingTestResource.DATABASE), replica.username(), replica.password())
                .schemas("replica")
                .table("replica_schema_history")
                .locations("classpath:db/replica")
                .load()
                .migrate();
    }

    @Test
    void billingRunsAsItsOwnRole() {
        assertEquals(ServiceRole.BILLING.roleName(),
                ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
    }

    @Test
    void billingCannotChangeTheApisClients() {
        denied(ServiceRole.BILLING, "UPDATE api.api_client SET status = 'REVOKED'");
        denied(ServiceRole.BILLING, "INSERT INTO api.api_client DEFAULT VALUES");
        denied(ServiceRole.BILLING, "DELETE FROM api.api_client");
        denied(ServiceRole.BILLING, "TRUNCATE api.api_client");
        denied(ServiceRole.BILLING, "ALTER TABLE api.api_client ADD COLUMN forged text");
        denied(ServiceRole.BILLING, "UPDATE api.contract SET status = 'ACTIVE'");
        denied(ServiceRole.BILLING, "DELETE FROM api.contract_tariff");
        denied(ServiceRole.BILLING, "CREATE TABLE api.forged (n int)");
    }

    @Test
    void billingCannotWriteTheAuditLedger() {
        denied(ServiceRole.BILLING, "INSERT INTO audit.lookup_record DEFAULT VALUES");
        denied(ServiceRole.BILLING, "UPDATE audit.lookup_record SET outcome = outcome");
        denied(ServiceRole.BILLING, "DELETE FROM audit.lookup_record");
        denied(ServiceRole.BILLING, "UPDATE audit.lane SET seq = seq");
    }

    @Test
    void billingReadsWhatItBillsFromAndNoPersons() throws SQLException {
        for (String table : new String[] {"api.contract", "api.api_client", "api.contract_tariff", "api.tariff",
                "audit.lookup_record"}) {
            count(ServiceRole.BILLING, table);
        }
        denied(ServiceRole.BILLING, "SELECT * FROM replica.person");
    }

    @Test
    void theApiReadsTheReplicaAndWritesNeitherItNorBilling() throws SQLException {
        count(ServiceRole.API, "replica.person");
        count(ServiceRole.API, "replica.replica_state");
        denied(ServiceRole.API, "UPDATE replica.person SET version = version");
        denied(ServiceRole.API, "INSERT INTO replica.person DEFAULT VALUES");
        denied(ServiceRole.API, "DELETE FROM replica.replica_state");
        denied(ServiceRole.API, "SELECT * FROM billing.usage_daily");
        denied(ServiceRole.API, "INSERT INTO billing.metered_call DEFAULT VALUES");
        denied(ServiceRole.API, "UPDATE billing.usage_daily SET billable = billable");
        denied(ServiceRole.API, "DELETE FROM billing.invoice");
    }

    @Test
    void theReplicaSeesNothingOfTheApiOrBilling() {
        denied(ServiceRole.REPLICA, "SELECT * FROM api.api_client");
        denied(ServiceRole.REPLICA, "INSERT INTO api.api_client DEFAULT VALUES");
        denied(ServiceRole.REPLICA, "SELECT * FROM audit.lookup_record");
        denied(ServiceRole.REPLICA, "SELECT * FROM billing.usage_daily");
        denied(ServiceRole.REPLICA, "DELETE FROM billing.metered_call");
    }

    // ------------------------------------------------------------------

    private static PostgresEndpoint superuser() {
        return LocalServices.get().postgres();
    }

    private static Connection connect(ServiceRole role) throws SQLException {
        return superuser().as(role, "").connect(BillingTestResource.DATABASE);
    }

    private static long count(ServiceRole role, String table) throws SQLException {
        try (Connection connection = connect(role); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void denied(ServiceRole role, String sql) {
        SQLException refused = assertThrows(SQLException.class, () -> {
            try (Connection connection = connect(role); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }, role.roleName() + " must not be able to: " + sql);
        assertEquals(PERMISSION_DENIED, refused.getSQLState(), role.roleName() + ": " + sql + ": "
                + refused.getMessage());
    }
}
