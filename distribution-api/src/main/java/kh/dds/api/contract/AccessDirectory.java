package kh.dds.api.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import kh.dds.api.concurrent.Contexts;
import kh.dds.schema.lookup.Product;

/**
 * The hot path's view of who is calling: one indexed read of a client and its contract, kept for
 * {@code api.access.refresh} on each node. That period is the bound on how long another node's suspension, expiry,
 * revocation or rotation without overlap takes to be refused here; this node's own changes are forgotten at once.
 */
@ApplicationScoped
public class AccessDirectory {

    private static final String READ = """
            SELECT c.client_id, c.status AS client_status, c.scopes::text AS scopes, c.tokens_valid_after, c.issuer,
                   k.id, k.status, k.valid_from, k.valid_to, k.products::text AS products, k.purposes::text AS purposes,
                   k.data_policy::text AS data_policy, k.rate_limit_per_second, k.monthly_quota,
                   k.operator_id_required, k.confidential_until, k.min_cell_size
            FROM api.api_client c LEFT JOIN api.contract k ON k.id = c.contract_id
            WHERE c.client_id = $1""";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper mapper;
    private final long refreshNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Uni<Optional<Access>> access, long loadedAt) {
    }

    public AccessDirectory(Pool pool, ObjectMapper mapper, AccessConfig config) {
        this.pool = pool;
        this.mapper = mapper;
        this.refreshNanos = config.refresh().toNanos();
    }

    /** The client and its contract, or empty when no such client exists. */
    public Uni<Optional<Access>> access(String clientId) {
        long now = System.nanoTime();
        Entry entry = entries.get(clientId);
        if (entry == null || now - entry.loadedAt() > refreshNanos) {
            Entry fresh = new Entry(load(clientId)
                    .onFailure().invoke(() -> entries.remove(clientId))
                    .memoize().indefinitely(), now);
            entries.put(clientId, fresh);
            entry = fresh;
        }
        // a shared load may complete on another request's context: each caller continues on its own
        return Contexts.resumeHere(entry.access());
    }

    public void forgetClient(String clientId) {
        entries.remove(clientId);
    }

    public void forgetContract(UUID contractId) {
        // changes to contracts are rare; forgetting every client is simpler than indexing them by contract
        entries.clear();
    }

    private Uni<Optional<Access>> load(String clientId) {
        return pool.preparedQuery(READ).execute(Tuple.of(clientId)).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            return iterator.hasNext() ? Optional.of(access(iterator.next())) : Optional.empty();
        });
    }

    private Access access(Row row) {
        Access.Terms terms = null;
        UUID contractId = row.getUUID("id");
        if (contractId != null) {
            Set<Product> products = EnumSet.noneOf(Product.class);
            strings(row.getString("products")).forEach(p -> products.add(Product.valueOf(p)));
            List<DataPolicyField> policy = strings(row.getString("data_policy")).stream()
                    .map(field -> DataPolicyField.parse(field).orElseThrow()).toList();
            terms = new Access.Terms(contractId, ContractStatus.valueOf(row.getString("status")),
                    row.getLocalDate("valid_from"), row.getLocalDate("valid_to"), Set.copyOf(products),
                    Set.copyOf(strings(row.getString("purposes"))), policy, row.getInteger("rate_limit_per_second"),
                    row.getLong("monthly_quota"), row.getBoolean("operator_id_required"),
                    row.getLocalDate("confidential_until"), row.getInteger("min_cell_size"));
        }
        OffsetDateTime tokensValidAfter = row.getOffsetDateTime("tokens_valid_after");
        return new Access(row.getString("client_id"), ClientStatus.valueOf(row.getString("client_status")),
                Set.copyOf(new LinkedHashSet<>(strings(row.getString("scopes")))), terms,
                tokensValidAfter == null ? null : tokensValidAfter.toInstant(), row.getString("issuer"));
    }

    private List<String> strings(String json) {
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable list in api.contract or api.api_client", e);
        }
    }
}
