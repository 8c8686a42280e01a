package kh.dds.billing.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kh.dds.billing.problem.BillingProblem;
import kh.dds.schema.auth.AccessTokenType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of a billing call, from the API's token (SmallRye JWT has verified issuer, audience, expiry and
 * signature against the API's published keys), and whether its client still stands in the API's directory: a revoked
 * client's unexpired token is refused here too. A relying party's viewer (scope {@code usage}) sees its own contract
 * only; another contract is answered as unknown, so that nothing tells whether it exists. Administrators see all.
 */
@ApplicationScoped
public class Viewers {

    private static final String CLIENT_ID = "client_id";
    private static final String CONTRACT_ID = "contract_id";
    private static final long ISSUED_AT_SKEW_SECONDS = 30;

    private final JsonWebToken token;
    private final Pool pool;

    private final boolean requireType;
    /** The external identity providers by their {@code iss}. */
    private final java.util.Map<String, TokenIssuers.TrustedIssuer> trusted;

    /**
     * @param issuers {@code billing.token.require-access-token-type} (default {@code true}): refuse tokens not
     *                typed {@code at+jwt}; and the external identity providers whose tokens billing accepts
     */
    public Viewers(JsonWebToken token, Pool pool, TokenIssuers issuers) {
        this.token = token;
        this.pool = pool;
        this.requireType = issuers.requireAccessTokenType();
        this.trusted = issuers.trustedIssuers().values().stream().collect(java.util.stream.Collectors
                .toUnmodifiableMap(TokenIssuers.TrustedIssuer::issuer, issuer -> issuer));
    }

    /** An administrator (scope {@code admin}) whose client stands. */
    public Uni<Viewer> admin() {
        Viewer viewer = current();
        if (!viewer.isAdmin()) {
            return Uni.createFrom().failure(BillingProblem.scopeMissing(Viewer.ADMIN));
        }
        return standing(viewer);
    }

    /** Someone who may see {@code contractId}'s usage and invoices: an administrator, or that contract's viewer. */
    public Uni<Viewer> ofContract(UUID contractId) {
        Viewer viewer = current();
        if (!viewer.isAdmin() && !viewer.scopes().contains(Viewer.USAGE)) {
            return Uni.createFrom().failure(BillingProblem.scopeMissing(Viewer.USAGE));
        }
        if (!viewer.isAdmin() && !contractId.equals(viewer.contractId())) {
            return Uni.createFrom().failure(BillingProblem.notFound("no contract " + contractId));
        }
        return standing(viewer);
    }

    private Viewer current() {
        if (token == null || token.getRawToken() == null) {
            throw BillingProblem.unauthorized("a valid bearer token is required");
        }
        if (requireType && !AccessTokenType.isAccessToken(token.getRawToken())) {
            throw BillingProblem.unauthorized("the bearer token is not an access token (typ at+jwt)");
        }
        if (token.getIssuedAtTime() > Instant.now().getEpochSecond() + ISSUED_AT_SKEW_SECONDS) {
            throw BillingProblem.unauthorized("the bearer token is invalid, expired or not for this service");
        }
        TokenIssuers.TrustedIssuer external = token.getIssuer() == null ? null : trusted.get(token.getIssuer());
        String clientClaim = external == null ? CLIENT_ID : external.clientIdClaim();
        String clientId = token.containsClaim(clientClaim) ? unquote(token.getClaim(clientClaim).toString())
                : token.getSubject();
        Object contract = token.getClaim(external == null ? CONTRACT_ID : external.contractClaim());
        UUID contractId;
        try {
            contractId = contract == null ? null : UUID.fromString(unquote(contract.toString()));
        } catch (IllegalArgumentException e) {
            throw BillingProblem.unauthorized("the bearer token names no valid contract");
        }
        Set<String> scopes = token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups());
        boolean person = external != null && external.peopleClients().orElse(Set.of()).contains(clientId);
        return new Viewer(clientId, contractId, scopes, external == null ? null : external.issuer(), person);
    }

    private Uni<Viewer> standing(Viewer viewer) {
        long issuedAt = token.getIssuedAtTime();
        return pool.preparedQuery(
                        "SELECT status, contract_id, tokens_valid_after, issuer FROM api.api_client WHERE client_id = $1")
                .execute(Tuple.of(viewer.clientId()))
                .map(rows -> {
                    RowIterator<Row> found = rows.iterator();
                    if (!found.hasNext()) {
                        throw BillingProblem.clientRevoked();
                    }
                    Row row = found.next();
                    if (!"ACTIVE".equals(row.getString("status"))) {
                        throw BillingProblem.clientRevoked();
                    }
                    if (!java.util.Objects.equals(row.getString("issuer"), viewer.issuer())) {
                        throw BillingProblem.unauthorized("the token's issuer is not its client's");
                    }
                    UUID contractId = row.getUUID("contract_id");
                    if (viewer.person()) {
                        // a person signs in at a client of the registry's (the console); their contract is theirs
                        if (contractId != null) {
                            throw BillingProblem.unauthorized("people sign in at a client of no contract");
                        }
                    } else if (contractId == null ? viewer.contractId() != null
                            : !contractId.equals(viewer.contractId())) {
                        throw BillingProblem.unauthorized("the token's contract is not its client's");
                    }
                    // a revocation, or a rotation without overlap, refuses every token issued before it (as the API)
                    java.time.OffsetDateTime validAfter = row.getOffsetDateTime("tokens_valid_after");
                    if (validAfter != null && issuedAt < validAfter.toEpochSecond()) {
                        throw BillingProblem.unauthorized("the bearer token was issued before its client's secret "
                                + "was rotated or revoked");
                    }
                    return viewer;
                });
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
