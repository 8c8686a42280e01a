package kh.dds.api.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import kh.dds.api.contract.ContractStatus;
import kh.dds.schema.auth.AccessTokenType;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * OAuth2 client credentials (RFC 6749 §4.4): a client proves its secret and receives a short-lived RS256 JWT typed
 * {@code at+jwt} (RFC 9068) carrying its client id, its contract and the scopes granted, signed with a key the JWKS
 * names. The client is read afresh for every token (never cached), so a revoked client or a suspended contract gets
 * no new token.
 *
 * <p>In order, each step cheaper than the next: the attempt limits ({@link TokenAttempts}, one Redis read), the
 * client's row (one indexed read), then the secret check and the signature on the bounded {@link GrantPool}. A
 * failed client authentication counts against the client id and the address.
 *
 * <p>After a rotation the previous secret is accepted until {@code previous_secret_valid_until}. A token's
 * {@code iat} is never before the client's {@code tokens_valid_after} (a revocation, or a rotation without overlap,
 * sets it to the next whole second), so that every token issued before the change is refused on every call
 * ({@link Callers#standing}) and none issued after it is.
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    /** RFC 9068 §2.1: the {@code typ} of a JWT access token. */
    public static final String ACCESS_TOKEN_TYPE = AccessTokenType.VALUE;
    private static final String READ = """
            SELECT c.client_id, c.status, c.scopes::text AS scopes, c.secret_hash, c.contract_id,
                   c.previous_secret_hash, c.previous_secret_valid_until, c.tokens_valid_after,
                   k.status AS contract_status, k.valid_from, k.valid_to
            FROM api.api_client c LEFT JOIN api.contract k ON k.id = c.contract_id
            WHERE c.client_id = $1 AND c.issuer IS NULL""";
    /** A legacy hash replaced by the keyed one, only if no one changed it meanwhile (a rotation, say). */
    private static final String REHASH_CURRENT = """
            UPDATE api.api_client SET secret_hash = $3 WHERE client_id = $1 AND secret_hash = $2""";
    private static final String REHASH_PREVIOUS = """
            UPDATE api.api_client SET previous_secret_hash = $3 WHERE client_id = $1 AND previous_secret_hash = $2""";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Pool pool;
    private final GrantPool grants;
    private final TokenAttempts attempts;
    private final ClientSecrets secrets;
    private final SigningKey signingKey;
    private final TokenConfig config;
    private final ObjectMapper mapper;

    /** A token issued, and the legacy hash to replace now that the secret is known to be right (or none). */
    private record Grant(IssuedToken token, String legacyHash, String rehash, String rehashStatement) {
    }

    public TokenService(Pool pool, GrantPool grants, TokenAttempts attempts, ClientSecrets secrets,
                        SigningKey signingKey, TokenConfig config, ObjectMapper mapper) {
        this.pool = pool;
        this.grants = grants;
        this.attempts = attempts;
        this.secrets = secrets;
        this.signingKey = signingKey;
        this.config = config;
        this.mapper = mapper;
    }

    /** A token for {@code request} from {@code address}, or a failure with the {@link TokenRefused} to answer. */
    public Uni<IssuedToken> issue(TokenRequest request, String address) {
        if (!config.enabled()) {
            return Uni.createFrom().failure(new TokenRefused(400, "unsupported_grant_type",
                    "tokens are issued by the external identity provider"));
        }
        String clientId = request.clientId();
        return attempts.admit(clientId, address)
                .chain(() -> pool.preparedQuery(READ).execute(Tuple.of(clientId)))
                .chain(rows -> {
                    RowIterator<Row> iterator = rows.iterator();
                    Row row = iterator.hasNext() ? iterator.next() : null;
                    return grants.run(() -> grant(row, request.clientSecret(), request.scope()));
                })
                .onFailure(TokenService::clientAuthenticationFailed).call(() -> attempts.failed(clientId, address))
                .call(grant -> rehash(clientId, grant))
                .map(Grant::token);
    }

    private static boolean clientAuthenticationFailed(Throwable failure) {
        return failure instanceof TokenRefused refused && "invalid_client".equals(refused.error());
    }

    /** Checks the secret and the client's standing, then signs: on the grant pool, never on the event loop. */
    private Grant grant(Row row, String secret, String requestedScope) {
        if (row == null) {
            // the same keyed hash as for a known client, so that timing says little about which ids exist
            secrets.hash(secret);
            throw TokenRefused.invalidClient();
        }
        Instant now = Instant.now();
        String current = row.getString("secret_hash");
        String previous = row.getString("previous_secret_hash");
        OffsetDateTime previousUntil = row.getOffsetDateTime("previous_secret_valid_until");
        String matched = null;
        if (secrets.matches(secret, current)) {
            matched = current;
        } else if (previous != null && previousUntil != null && now.isBefore(previousUntil.toInstant())
                && secrets.matches(secret, previous)) {
            matched = previous;
        }
        if (matched == null || !"ACTIVE".equals(row.getString("status"))) {
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
        Instant issuedAt = now;
        OffsetDateTime validAfter = row.getOffsetDateTime("tokens_valid_after");
        if (validAfter != null && issuedAt.isBefore(validAfter.toInstant())) {
            issuedAt = validAfter.toInstant();
        }
        var claims = Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(row.getString("client_id"))
                .claim(Callers.CLIENT_ID, row.getString("client_id"))
                .claim("scope", scope)
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(issuedAt)
                .expiresAt(issuedAt.plus(config.lifetime()));
        if (contractId != null) {
            claims.claim(Callers.CONTRACT_ID, contractId.toString());
        }
        String token = claims.jws().type(ACCESS_TOKEN_TYPE).algorithm(SignatureAlgorithm.RS256)
                .keyId(signingKey.keyId()).sign(signingKey.privateKey());
        IssuedToken issued = new IssuedToken(token, "Bearer", config.lifetime().toSeconds(), scope);
        if (!secrets.isLegacy(matched)) {
            return new Grant(issued, null, null, null);
        }
        return new Grant(issued, matched, secrets.hash(secret), matched.equals(current) ? REHASH_CURRENT
                : REHASH_PREVIOUS);
    }

    /**
     * A secret still under its legacy PBKDF2 hash is re-hashed with the keyed hash on its first successful use, so
     * that the slow hash is paid once per client. A failure here costs the caller nothing: its token is issued.
     */
    private Uni<Void> rehash(String clientId, Grant grant) {
        if (grant.legacyHash() == null) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(grant.rehashStatement()).execute(Tuple.of(clientId, grant.legacyHash(),
                        grant.rehash()))
                .invoke(rows -> {
                    if (rows.rowCount() == 1) {
                        LOG.infof("client %s: its secret's PBKDF2 hash replaced by the keyed hash", clientId);
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("client %s: the legacy hash could not be replaced: %s",
                        clientId, failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private List<String> strings(String json) {
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable scopes in api.api_client", e);
        }
    }
}
