package kh.dds.api.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import kh.dds.api.contract.ContractStatus;
import kh.dds.schema.time.PhnomPenh;

/**
 * OAuth2 client credentials (RFC 6749 §4.4): a client proves its secret and receives a short-lived RS256 JWT
 * carrying its client id, its contract and the scopes granted, signed with a key the JWKS names. The client is read
 * afresh for every token (never cached), so a revoked client or a suspended contract gets no new token.
 */
@ApplicationScoped
public class TokenService {

    private static final String READ = """
            SELECT c.client_id, c.status, c.scopes::text AS scopes, c.secret_hash, c.contract_id,
                   k.status AS contract_status, k.valid_from, k.valid_to
            FROM api.api_client c LEFT JOIN api.contract k ON k.id = c.contract_id
            WHERE c.client_id = $1""";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Pool pool;
    private final Vertx vertx;
    private final ClientSecrets secrets;
    private final SigningKey signingKey;
    private final TokenConfig config;
    private final ObjectMapper mapper;
    /** Compared against when the client is unknown, so that timing does not tell which client ids exist. */
    private final String decoyHash;

    public TokenService(Pool pool, Vertx vertx, ClientSecrets secrets, SigningKey signingKey, TokenConfig config,
                        ObjectMapper mapper) {
        this.pool = pool;
        this.vertx = vertx;
        this.secrets = secrets;
        this.signingKey = signingKey;
        this.config = config;
        this.mapper = mapper;
        this.decoyHash = secrets.hash(secrets.generate());
    }

    public Uni<IssuedToken> issue(String clientId, String clientSecret, String requestedScope) {
        if (!config.enabled()) {
            return Uni.createFrom().failure(new TokenRefused(400, "unsupported_grant_type",
                    "tokens are issued by the external identity provider"));
        }
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isEmpty()) {
            return Uni.createFrom().failure(TokenRefused.invalidClient());
        }
        return pool.preparedQuery(READ).execute(Tuple.of(clientId)).chain(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            Row row = iterator.hasNext() ? iterator.next() : null;
            return vertx.executeBlocking(Uni.createFrom().item(() -> grant(row, clientSecret, requestedScope)));
        });
    }

    /** Checks the secret (slow on purpose: on a worker thread) and the client's standing, then signs. */
    private IssuedToken grant(Row row, String secret, String requestedScope) {
        boolean secretMatches = secrets.matches(secret, row == null ? decoyHash : row.getString("secret_hash"));
        if (row == null || !secretMatches || !"ACTIVE".equals(row.getString("status"))) {
            throw TokenRefused.invalidClient();
        }
        UUID contractId = row.getUUID("contract_id");
        if (contractId != null) {
            LocalDate today = PhnomPenh.today();
            LocalDate validTo = row.getLocalDate("valid_to");
            boolean inForce = ContractStatus.ACTIVE.name().equals(row.getString("contract_status"))
                    && !today.isBefore(row.getLocalDate("valid_from")) && (validTo == null || !today.isAfter(validTo));
            if (!inForce) {
                throw new TokenRefused(400, "unauthorized_client", "the client's contract is suspended or not in force");
            }
        }
        Set<String> held = new LinkedHashSet<>(strings(row.getString("scopes")));
        Set<String> granted = held;
        if (requestedScope != null && !requestedScope.isBlank()) {
            granted = new LinkedHashSet<>(Arrays.asList(requestedScope.trim().split("\\s+")));
            if (!held.containsAll(granted)) {
                throw new TokenRefused(400, "invalid_scope", "the client does not hold every scope requested");
            }
        }
        String scope = String.join(" ", granted);
        Instant now = Instant.now();
        var claims = Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(row.getString("client_id"))
                .claim(Callers.CLIENT_ID, row.getString("client_id"))
                .claim("scope", scope)
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(config.lifetime()));
        if (contractId != null) {
            claims.claim(Callers.CONTRACT_ID, contractId.toString());
        }
        String token = claims.jws().algorithm(SignatureAlgorithm.RS256).keyId(signingKey.keyId())
                .sign(signingKey.privateKey());
        return new IssuedToken(token, "Bearer", config.lifetime().toSeconds(), scope);
    }

    private List<String> strings(String json) {
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable scopes in api.api_client", e);
        }
    }
}
