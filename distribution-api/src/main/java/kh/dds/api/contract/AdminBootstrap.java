package kh.dds.api.contract;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import kh.dds.api.auth.ClientSecrets;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A new installation's first administrator: when {@code api.bootstrap.admin-client-secret} is set and no client with
 * the id {@code api.bootstrap.admin-client-id} exists, that client is created with the scopes {@code admin} and
 * {@code audit}, under no contract. An existing client is never changed (rotate it through the API). The secret
 * comes from the environment (the local run generates it into {@code .local/credentials.env}); it is never logged.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    private static final String INSERT = """
            INSERT INTO api.api_client (client_id, contract_id, scopes, secret_hash, status, created_at, row_version)
            VALUES ($1, NULL, '["admin","audit"]'::jsonb, $2, 'ACTIVE', $3, 0)
            ON CONFLICT (client_id) DO NOTHING""";

    private final Pool pool;
    private final ClientSecrets secrets;
    private final String clientId;
    private final Optional<String> secret;

    public AdminBootstrap(Pool pool, ClientSecrets secrets,
                          @ConfigProperty(name = "api.bootstrap.admin-client-id", defaultValue = "dds-admin") String clientId,
                          @ConfigProperty(name = "api.bootstrap.admin-client-secret") Optional<String> secret) {
        this.pool = pool;
        this.secrets = secrets;
        this.clientId = clientId;
        this.secret = secret;
    }

    void onStart(@Observes StartupEvent event) {
        if (secret.isEmpty() || secret.get().isBlank()) {
            return;
        }
        int created = pool.preparedQuery(INSERT)
                .execute(Tuple.of(clientId, secrets.hash(secret.get()), OffsetDateTime.now(ZoneOffset.UTC)))
                .await().indefinitely().rowCount();
        if (created == 1) {
            LOG.infof("bootstrap administrator client '%s' created (scopes admin, audit)", clientId);
        }
    }
}
