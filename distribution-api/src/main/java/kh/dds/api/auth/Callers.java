package kh.dds.api.auth;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import kh.dds.api.contract.Access;
import kh.dds.api.contract.AccessDirectory;
import kh.dds.api.contract.ClientStatus;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.Problems;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from its verified token (SmallRye JWT has checked issuer, audience, expiry,
 * signature and key id by then, {@link VerifiedTokens} its type), and whether its client still stands: a revoked
 * client's unexpired tokens, and the tokens a client got before a rotation without overlap, are refused on every
 * node within {@code api.access.refresh}.
 */
@ApplicationScoped
public class Callers {

    /** Claims the built-in token endpoint writes; an external provider maps its own to these names. */
    public static final String CLIENT_ID = "client_id";
    public static final String CONTRACT_ID = "contract_id";
    /** As {@code mp.jwt.verify.clock.skew}. */
    private static final long ISSUED_AT_SKEW_SECONDS = 30;

    private final JsonWebToken token;
    private final AccessDirectory directory;
    /** The external identity providers by their {@code iss}. */
    private final Map<String, TokenConfig.TrustedIssuer> trusted;

    public Callers(JsonWebToken token, AccessDirectory directory, TokenConfig config) {
        this.token = token;
        this.directory = directory;
        this.trusted = config.trustedIssuers().values().stream()
                .collect(Collectors.toUnmodifiableMap(TokenConfig.TrustedIssuer::issuer, issuer -> issuer));
    }

    public Caller current() {
        if (token == null || token.getRawToken() == null) {
            throw Problems.unauthorized("a valid bearer token is required");
        }
        // SmallRye JWT checks exp and nbf; a token issued in the future (beyond the skew) is refused here
        if (token.getIssuedAtTime() > Instant.now().getEpochSecond() + ISSUED_AT_SKEW_SECONDS) {
            throw Problems.unauthorized("the bearer token is invalid, expired or not for this service");
        }
        Set<String> scopes = token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups());
        TokenConfig.TrustedIssuer external = token.getIssuer() == null ? null : trusted.get(token.getIssuer());
        if (external != null) {
            // VerifiedTokens verified it with this provider's keys, issuer and audience
            Object clientId = token.getClaim(external.clientIdClaim());
            Object contract = token.getClaim(external.contractClaim());
            if (clientId == null) {
                throw Problems.unauthorized("the bearer token is invalid, expired or not for this service");
            }
            String client = unquote(clientId.toString());
            String person = null;
            if (external.peopleClients().orElse(Set.of()).contains(client)) {
                Object name = token.getClaim(external.personClaim());
                person = name == null ? token.getSubject() : unquote(name.toString());
                if (person == null || person.isBlank()) {
                    throw Problems.unauthorized("the bearer token names no person");
                }
            }
            return new Caller(client, contract == null ? null : unquote(contract.toString()), scopes,
                    token.getIssuedAtTime(), external.issuer(), person);
        }
        String clientId = token.containsClaim(CLIENT_ID) ? token.<Object>getClaim(CLIENT_ID).toString()
                : token.getSubject();
        Object contract = token.getClaim(CONTRACT_ID);
        return new Caller(clientId, contract == null ? null : unquote(contract.toString()), scopes,
                token.getIssuedAtTime(), null, null);
    }

    /** The caller's client as it stands now, failing with {@code client-revoked} when it no longer does. */
    public Uni<Access> standing(Caller caller) {
        return directory.access(caller.clientId()).map(found -> {
            Access access = found.orElseThrow(Problems::clientRevoked);
            if (access.clientStatus() != ClientStatus.ACTIVE) {
                throw Problems.clientRevoked();
            }
            if (!Objects.equals(access.issuer(), caller.issuer())) {
                // a provider's token for a client registered with another issuer (or with the API's own endpoint)
                throw Problems.unauthorized("the token's issuer is not its client's");
            }
            if (!access.acceptsTokenIssuedAt(caller.issuedAt())) {
                throw Problems.unauthorized("the token was issued before its client's secret was replaced without "
                        + "overlap; request a new token");
            }
            String contractId = access.contract() == null ? null : access.contract().id().toString();
            if (caller.person() != null) {
                // a person signs in at a client of the registry's (the console): the person's contract is theirs
                if (contractId != null) {
                    throw Problems.unauthorized("people sign in at a client of no contract");
                }
                return access;
            }
            if (contractId == null ? caller.contractId() != null : !contractId.equals(caller.contractId())) {
                throw Problems.unauthorized("the token's contract is not its client's");
            }
            return access;
        });
    }

    /**
     * The contract a person signed in at the web console views (a relying party's viewer): the person's token holds
     * scope {@code usage} and the contract the identity provider binds the person to, and the console's client
     * stands and holds {@code usage}. For read-only pages of the viewer's own contract; never {@code null}.
     */
    public Uni<UUID> viewersContract(Caller caller) {
        if (caller.person() == null) {
            return Uni.createFrom().failure(Problems.unauthorized("only a person signed in at the console views"));
        }
        if (caller.contractId() == null) {
            return Uni.createFrom().failure(Problems.contractMissing());
        }
        UUID contract;
        try {
            contract = UUID.fromString(caller.contractId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(Problems.unauthorized("the bearer token names no valid contract"));
        }
        String scope = Scope.USAGE.value();
        if (!caller.has(scope)) {
            return Uni.createFrom().failure(Problems.scopeMissing(scope));
        }
        return standing(caller).map(access -> {
            if (!access.clientScopes().contains(scope)) {
                throw Problems.scopeMissing(scope);
            }
            return contract;
        });
    }

    /** For the registry's own endpoints: the caller holds {@code scope} and its client stands. */
    public Uni<Access> require(String scope) {
        Caller caller = current();
        if (!caller.has(scope)) {
            return Uni.createFrom().failure(Problems.scopeMissing(scope));
        }
        return standing(caller);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
