package kh.dds.api.notification.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code api.webhook_endpoint}: one endpoint per contract, its secrets sealed by {@link WebhookSecrets}. */
@ApplicationScoped
public class WebhookEndpoints {

    private static final String READ = """
            SELECT contract_id, url, secret, previous_secret, previous_valid_until FROM api.webhook_endpoint
            WHERE contract_id = ANY($1)""";
    // a new secret; the one it replaces keeps signing until the overlap ends (a first registration has none)
    private static final String PUT = """
            INSERT INTO api.webhook_endpoint (contract_id, url, secret) VALUES ($1, $2, $3)
            ON CONFLICT (contract_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret,
                previous_secret = webhook_endpoint.secret, previous_valid_until = now() + make_interval(secs => $4),
                updated_at = now()
            RETURNING previous_valid_until""";
    private static final String FAILED = "UPDATE api.webhook_endpoint SET failures = failures + 1 WHERE contract_id = $1";

    /** An endpoint with its secrets opened: the current one first, the previous one while it still signs. */
    public record Endpoint(UUID contractId, String url, List<String> secrets) {
    }

    private final Pool pool;
    private final WebhookSecrets secrets;

    public WebhookEndpoints(Pool pool, WebhookSecrets secrets) {
        this.pool = pool;
        this.secrets = secrets;
    }

    /** Registers or replaces the contract's endpoint with a new secret; gives until when the previous one signs. */
    public Uni<Instant> put(UUID contractId, String url, String secret, Duration overlap) {
        byte[] sealed = secrets.seal(secret, contractId);
        return pool.preparedQuery(PUT).execute(Tuple.of(contractId, url, sealed, (double) overlap.toSeconds()))
                .map(rows -> {
                    OffsetDateTime until = rows.iterator().next().getOffsetDateTime("previous_valid_until");
                    return until == null ? null : until.toInstant();
                });
    }

    public Uni<Map<UUID, Endpoint>> find(Collection<UUID> contractIds) {
        return pool.preparedQuery(READ).execute(Tuple.of((Object) contractIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, Endpoint> endpoints = new HashMap<>();
            Instant now = Instant.now();
            for (Row row : rows) {
                UUID contract = row.getUUID("contract_id");
                List<String> open = new ArrayList<>(2);
                open.add(secrets.open(row.getBuffer("secret").getBytes(), contract));
                OffsetDateTime until = row.getOffsetDateTime("previous_valid_until");
                if (row.getBuffer("previous_secret") != null && until != null && until.toInstant().isAfter(now)) {
                    open.add(secrets.open(row.getBuffer("previous_secret").getBytes(), contract));
                }
                endpoints.put(contract, new Endpoint(contract, row.getString("url"), List.copyOf(open)));
            }
            return endpoints;
        });
    }

    public Uni<Void> failed(UUID contractId) {
        return pool.preparedQuery(FAILED).execute(Tuple.of(contractId)).replaceWithVoid();
    }
}
