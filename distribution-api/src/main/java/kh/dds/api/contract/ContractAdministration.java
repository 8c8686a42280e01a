package kh.dds.api.contract;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.regex.Pattern;
import kh.dds.api.auth.ClientSecrets;
import kh.dds.api.auth.TokenConfig;
import kh.dds.api.contract.rest.ClientCredentials;
import kh.dds.api.contract.rest.ContractPatch;
import kh.dds.api.contract.rest.ContractRequest;
import kh.dds.api.contract.rest.TariffRequest;
import kh.dds.api.problem.Problems;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.text.SafeText;
import kh.dds.schema.time.PhnomPenh;

/**
 * Tariffs, contracts and clients (SPEC §4.8), as the registry's administrators manage them. Every change that
 * narrows access (a suspension, a revocation, a narrower policy) is forgotten by this node's {@link AccessDirectory}
 * at once and reaches every other node within {@code api.access.refresh}.
 *
 * <p>A contract's tariff has a history ({@link ContractTariff}): the tariff given at creation is in effect from the
 * contract's first day; a change is in effect from the day it names (by default today, Asia/Phnom_Penh) until the
 * next change. A change may not reach into a month before the current one, which is being or has been invoiced.
 * {@code contract.tariff_id} keeps the tariff assigned last.
 */
@ApplicationScoped
public class ContractAdministration {

    /** Scopes a relying party's client may hold. */
    public static final Set<Scope> CONTRACT_SCOPES = Set.of(Scope.VERIFY, Scope.LOOKUP, Scope.BULK, Scope.REPORTS,
            Scope.SUBSCRIBE, Scope.USAGE);
    /** Scopes of the registry's own clients, which act under no contract. */
    public static final Set<Scope> REGISTRY_SCOPES = Set.of(Scope.ADMIN, Scope.AUDIT, Scope.USAGE);

    private static final Pattern PURPOSE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    private static final int DEFAULT_MIN_CELL_SIZE = 10;
    /** A contract's organisation and a tariff's name, in characters (their requests' {@code @Size} too). */
    private static final int MAX_ORGANISATION = 300;
    private static final int MAX_NAME = 200;
    /** The longest overlap a rotation may ask for (the configured default is the operator's own choice). */
    static final Duration MAX_OVERLAP = Duration.ofDays(7);

    private final ClientSecrets secrets;
    private final AccessDirectory access;
    private final Duration defaultOverlap;
    /** The {@code iss} of each external identity provider the API trusts. */
    private final Set<String> trustedIssuers;
    private final SecureRandom random = new SecureRandom();

    public ContractAdministration(ClientSecrets secrets, AccessDirectory access, TokenConfig tokens) {
        this.secrets = secrets;
        this.access = access;
        this.defaultOverlap = tokens.rotationOverlap();
        this.trustedIssuers = tokens.trustedIssuers().values().stream().map(TokenConfig.TrustedIssuer::issuer)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    // ------------------------------------------------------------------ tariffs

    @WithTransaction
    public Uni<Tariff> createTariff(TariffRequest request) {
        Tariff tariff = new Tariff();
        tariff.id = UUID.randomUUID();
        tariff.name = text(request.name(), "name", MAX_NAME).strip();
        tariff.currency = request.currency();
        tariff.products = tiers(request.products());
        tariff.createdAt = Instant.now();
        return tariff.persist().replaceWith(tariff);
    }

    @WithSession
    public Uni<Tariff> tariff(UUID id) {
        return Tariff.<Tariff>findById(id).onItem().ifNull().failWith(() -> Problems.notFound("no tariff " + id));
    }

    @WithSession
    public Uni<List<Tariff>> tariffs() {
        return Tariff.listAll();
    }

    // ------------------------------------------------------------------ contracts

    @WithTransaction
    public Uni<ContractWithTariffs> createContract(ContractRequest request) {
        Contract contract = new Contract();
        contract.id = UUID.randomUUID();
        contract.organisation = text(request.organisation(), "organisation", MAX_ORGANISATION).strip();
        contract.kind = request.kind();
        contract.validFrom = request.validFrom();
        contract.validTo = request.validTo();
        contract.status = ContractStatus.ACTIVE;
        contract.products = products(request.products());
        contract.purposes = purposes(request.purposes());
        contract.dataPolicy = request.dataPolicy() == null ? List.of() : policy(request.dataPolicy().fields());
        contract.rateLimitPerSecond = request.rateLimitPerSecond();
        contract.monthlyQuota = request.monthlyQuota();
        contract.tariffId = request.tariffId();
        contract.minCellSize = request.minCellSize() == null ? DEFAULT_MIN_CELL_SIZE : request.minCellSize();
        contract.operatorIdRequired = request.operatorIdRequired() == null || request.operatorIdRequired();
        contract.confidentialUntil = request.confidentialUntil();
        contract.bulkRetentionDays = request.bulkRetentionDays() == null ? Contract.DEFAULT_BULK_RETENTION_DAYS
                : request.bulkRetentionDays();
        contract.bulkMaxOpenJobs = request.bulkMaxOpenJobs();
        contract.bulkMaxLinesPerJob = request.bulkMaxLinesPerJob();
        contract.createdAt = Instant.now();
        contract.updatedAt = contract.createdAt;
        validity(contract);
        List<ContractTariff> tariffs = contract.tariffId == null ? List.of()
                : List.of(step(contract.id, contract.validFrom, contract.tariffId, contract.createdAt));
        // the contract's row first: the history's rows refer to it
        return tariffExists(contract.tariffId)
                .chain(() -> contract.persistAndFlush())
                .chain(() -> tariffs.isEmpty() ? Uni.createFrom().voidItem() : ContractTariff.persist(tariffs))
                .replaceWith(() -> new ContractWithTariffs(contract, tariffs));
    }

    @WithSession
    public Uni<ContractWithTariffs> contract(UUID id) {
        return Contract.<Contract>findById(id).onItem().ifNull().failWith(() -> Problems.notFound("no contract " + id))
                .chain(ContractAdministration::withTariffs);
    }

    @WithSession
    public Uni<List<ContractWithTariffs>> contracts() {
        return Contract.<Contract>list("order by createdAt").chain(contracts -> {
            if (contracts.isEmpty()) {
                return Uni.createFrom().item(List.<ContractWithTariffs>of());
            }
            List<UUID> ids = contracts.stream().map(contract -> contract.id).toList();
            return ContractTariff.<ContractTariff>list("contractId in ?1 order by effectiveFrom", ids)
                    .map(steps -> {
                        Map<UUID, List<ContractTariff>> byContract = steps.stream()
                                .collect(Collectors.groupingBy(step -> step.contractId));
                        return contracts.stream().map(contract -> new ContractWithTariffs(contract,
                                byContract.getOrDefault(contract.id, List.of()))).toList();
                    });
        });
    }

    @WithTransaction
    public Uni<ContractWithTariffs> updateContract(UUID id, ContractPatch patch) {
        return Contract.<Contract>findById(id).onItem().ifNull().failWith(() -> Problems.notFound("no contract " + id))
                .call(contract -> {
                    if (patch.tariffEffectiveFrom() != null && patch.tariffId() == null) {
                        throw Problems.invalidRequest("tariffEffectiveFrom: only with tariffId, the tariff it starts");
                    }
                    if (patch.status() != null) {
                        contract.status = patch.status();
                    }
                    if (patch.organisation() != null) {
                        contract.organisation = text(patch.organisation(), "organisation", MAX_ORGANISATION).strip();
                    }
                    if (patch.validTo() != null) {
                        contract.validTo = patch.validTo();
                    }
                    if (patch.products() != null) {
                        contract.products = products(patch.products());
                    }
                    if (patch.purposes() != null) {
                        contract.purposes = purposes(patch.purposes());
                    }
                    if (patch.dataPolicy() != null) {
                        contract.dataPolicy = policy(patch.dataPolicy().fields());
                    }
                    if (patch.rateLimitPerSecond() != null) {
                        contract.rateLimitPerSecond = patch.rateLimitPerSecond();
                    }
                    if (patch.monthlyQuota() != null) {
                        contract.monthlyQuota = patch.monthlyQuota();
                    }
                    if (patch.minCellSize() != null) {
                        contract.minCellSize = patch.minCellSize();
                    }
                    if (patch.operatorIdRequired() != null) {
                        contract.operatorIdRequired = patch.operatorIdRequired();
                    }
                    if (patch.confidentialUntil() != null) {
                        contract.confidentialUntil = patch.confidentialUntil();
                    }
                    if (patch.bulkRetentionDays() != null) {
                        contract.bulkRetentionDays = patch.bulkRetentionDays();
                    }
                    if (patch.bulkMaxOpenJobs() != null) {
                        contract.bulkMaxOpenJobs = patch.bulkMaxOpenJobs();
                    }
                    if (patch.bulkMaxLinesPerJob() != null) {
                        contract.bulkMaxLinesPerJob = patch.bulkMaxLinesPerJob();
                    }
                    validity(contract);
                    contract.updatedAt = Instant.now();
                    if (patch.tariffId() == null) {
                        return Uni.createFrom().voidItem();
                    }
                    LocalDate effectiveFrom = tariffEffectiveFrom(contract, patch.tariffEffectiveFrom());
                    contract.tariffId = patch.tariffId();
                    return tariffExists(contract.tariffId)
                            .chain(() -> assignTariff(contract.id, effectiveFrom, contract.tariffId, contract.updatedAt));
                })
                .call(Contract::flush)
                .invoke(contract -> access.forgetContract(contract.id))
                .chain(ContractAdministration::withTariffs);
    }

    /**
     * The day a tariff change takes effect: the one asked for, or today in Phnom Penh (the contract's first day when
     * it has not begun yet, so that the change is not overtaken by the tariff it was created with). Never before the
     * contract's first day, never in a month before the current one.
     */
    private static LocalDate tariffEffectiveFrom(Contract contract, LocalDate requested) {
        LocalDate today = PhnomPenh.today();
        LocalDate effectiveFrom = requested != null ? requested
                : today.isBefore(contract.validFrom) ? contract.validFrom : today;
        LocalDate firstOpenDay = today.withDayOfMonth(1);
        if (effectiveFrom.isBefore(firstOpenDay)) {
            throw Problems.tariffChangeInClosedMonth(effectiveFrom, firstOpenDay);
        }
        if (effectiveFrom.isBefore(contract.validFrom)) {
            throw Problems.invalidRequest("tariffEffectiveFrom: must not be before the contract's validFrom "
                    + contract.validFrom);
        }
        return effectiveFrom;
    }

    /** Records the step of the history for that day: a second change for the same day replaces the first. */
    private static Uni<Void> assignTariff(UUID contractId, LocalDate effectiveFrom, UUID tariffId, Instant at) {
        return ContractTariff.<ContractTariff>findById(new ContractTariff.Key(contractId, effectiveFrom))
                .chain(found -> {
                    if (found != null) {
                        found.tariffId = tariffId;
                        found.assignedAt = at;
                        return Uni.createFrom().voidItem();
                    }
                    return step(contractId, effectiveFrom, tariffId, at).persist().replaceWithVoid();
                });
    }

    private static ContractTariff step(UUID contractId, LocalDate effectiveFrom, UUID tariffId, Instant at) {
        ContractTariff step = new ContractTariff();
        step.contractId = contractId;
        step.effectiveFrom = effectiveFrom;
        step.tariffId = tariffId;
        step.assignedAt = at;
        return step;
    }

    private static Uni<ContractWithTariffs> withTariffs(Contract contract) {
        return ContractTariff.<ContractTariff>list("contractId = ?1 order by effectiveFrom", contract.id)
                .map(steps -> new ContractWithTariffs(contract, steps));
    }

    // ------------------------------------------------------------------ clients

    /**
     * A new client under a contract, or under none ({@code contractId == null}: the registry's own). The secret is
     * hashed before the transaction opens, on a worker thread.
     */
    public Uni<ClientCredentials> createClient(UUID contractId, List<String> requestedScopes) {
        List<String> scopes = scopes(requestedScopes, contractId == null ? REGISTRY_SCOPES : CONTRACT_SCOPES);
        String secret = secrets.generate();
        String hash = secrets.hash(secret);
        return Panache.withTransaction(() -> {
            Uni<Void> contractCheck = contractId == null ? Uni.createFrom().voidItem()
                    : Contract.<Contract>findById(contractId)
                            .onItem().ifNull().failWith(() -> Problems.notFound("no contract " + contractId))
                            .replaceWithVoid();
            ApiClient client = new ApiClient();
            client.clientId = newClientId();
            client.contractId = contractId;
            client.scopes = scopes;
            client.secretHash = hash;
            client.status = ClientStatus.ACTIVE;
            client.createdAt = Instant.now();
            return contractCheck.chain(client::persist)
                    .replaceWith(new ClientCredentials(client.clientId, secret, contractId, scopes, null));
        });
    }

    /**
     * Registers a client of an external identity provider under a contract: the provider holds its secret and
     * issues its tokens; the API holds its binding and scopes, and revokes it like any other client. The provider's
     * tokens for it must name the same contract (its contract claim) to be accepted.
     */
    public Uni<ClientCredentials> registerExternalClient(UUID contractId, List<String> requestedScopes, String issuer,
                                                         String clientId) {
        if (!trustedIssuers.contains(issuer)) {
            return Uni.createFrom().failure(Problems.invalidRequest(
                    "issuer: not an identity provider this API trusts (api.token.trusted-issuers)"));
        }
        if (clientId == null || clientId.isBlank()) {
            return Uni.createFrom().failure(Problems.invalidRequest("clientId: the provider's client id is required"));
        }
        List<String> scopes = scopes(requestedScopes, contractId == null ? REGISTRY_SCOPES : CONTRACT_SCOPES);
        return Panache.withTransaction(() -> {
            Uni<Void> contractCheck = contractId == null ? Uni.createFrom().voidItem()
                    : Contract.<Contract>findById(contractId)
                            .onItem().ifNull().failWith(() -> Problems.notFound("no contract " + contractId))
                            .replaceWithVoid();
            return contractCheck.chain(() -> ApiClient.<ApiClient>findById(clientId)).chain(existing -> {
                if (existing != null) {
                    throw Problems.conflict("client-exists", "The client is already registered",
                            "a client with this id exists; revoke it or choose another id at the provider");
                }
                ApiClient client = new ApiClient();
                client.clientId = clientId;
                client.contractId = contractId;
                client.scopes = scopes;
                client.issuer = issuer;
                client.status = ClientStatus.ACTIVE;
                client.createdAt = Instant.now();
                return client.persist();
            }).invoke(() -> access.forgetClient(clientId))
                    .replaceWith(new ClientCredentials(clientId, null, contractId, scopes, null));
        });
    }

    @WithSession
    public Uni<List<ApiClient>> clients(UUID contractId) {
        return Contract.<Contract>findById(contractId)
                .onItem().ifNull().failWith(() -> Problems.notFound("no contract " + contractId))
                .chain(() -> ApiClient.list("contractId = ?1 order by createdAt", contractId));
    }

    /**
     * A new secret for a client. The previous one keeps working for {@code overlap} ({@code api.token.rotation-overlap}
     * when not given, 24 h by default), so that an integration can switch over without an outage; a second rotation
     * within that time ends the first one's overlap. Tokens issued with the previous secret live out their short
     * life. With no overlap ({@code PT0S}: the secret leaked) the previous secret stops at once and every token the
     * client holds is refused: on this node now, on the others within {@code api.access.refresh}.
     */
    public Uni<ClientCredentials> rotate(String clientId, Duration overlap) {
        if (overlap != null && (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0)) {
            return Uni.createFrom().failure(Problems.invalidRequest("overlap: between PT0S and " + MAX_OVERLAP));
        }
        Duration kept = overlap == null ? defaultOverlap : overlap;
        String secret = secrets.generate();
        String hash = secrets.hash(secret);
        Instant now = Instant.now();
        return Panache.withTransaction(() -> activeClient(clientId).invoke(client -> {
            if (kept.isZero()) {
                client.previousSecretHash = null;
                client.previousSecretValidUntil = null;
                client.tokensValidAfter = nextWholeSecond(now);
            } else {
                client.previousSecretHash = client.secretHash;
                client.previousSecretValidUntil = now.plus(kept);
            }
            client.secretHash = hash;
            client.rotatedAt = now;
        }).call(ApiClient::flush))
                .invoke(() -> access.forgetClient(clientId))
                .map(client -> new ClientCredentials(client.clientId, secret, client.contractId, client.scopes,
                        client.previousSecretValidUntil));
    }

    @WithTransaction
    public Uni<Void> revoke(String clientId) {
        return ApiClient.<ApiClient>findById(clientId)
                .onItem().ifNull().failWith(() -> Problems.notFound("no client " + clientId))
                .invoke(client -> {
                    if (client.status != ClientStatus.REVOKED) {
                        Instant now = Instant.now();
                        client.status = ClientStatus.REVOKED;
                        client.revokedAt = now;
                        client.tokensValidAfter = nextWholeSecond(now);
                        client.previousSecretHash = null;
                        client.previousSecretValidUntil = null;
                    }
                })
                .call(ApiClient::flush)
                .invoke(() -> access.forgetClient(clientId))
                .replaceWithVoid();
    }

    private Uni<ApiClient> activeClient(String clientId) {
        return ApiClient.<ApiClient>findById(clientId)
                .onItem().ifNull().failWith(() -> Problems.notFound("no client " + clientId))
                .invoke(client -> {
                    if (client.status == ClientStatus.REVOKED) {
                        throw Problems.conflict("client-revoked", "The client has been revoked",
                                "a revoked client cannot be rotated; create a new one");
                    }
                    if (client.issuer != null) {
                        throw Problems.conflict("external-client", "The client's secret is its identity provider's",
                                "rotate the secret at the identity provider that issues this client's tokens");
                    }
                });
    }

    /**
     * A token's {@code iat} is in whole seconds: tokens issued in the second of a change could fall on either side
     * of it. The next whole second puts every earlier token before the line; the token endpoint issues none with an
     * {@code iat} before it ({@link kh.dds.api.auth.TokenService}).
     */
    private static Instant nextWholeSecond(Instant at) {
        return at.getNano() == 0 ? at : Instant.ofEpochSecond(at.getEpochSecond() + 1);
    }

    private String newClientId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "cl-" + HexFormat.of().formatHex(bytes);
    }

    private static Uni<Void> tariffExists(UUID tariffId) {
        if (tariffId == null) {
            return Uni.createFrom().voidItem();
        }
        return Tariff.<Tariff>findById(tariffId)
                .onItem().ifNull().failWith(() -> Problems.invalidRequest("tariffId: no tariff " + tariffId))
                .replaceWithVoid();
    }

    /**
     * An administrator's free text (SPEC §4 "Input rules"): no control character, no unpaired surrogate, at most
     * {@code max} characters; else {@code 400} naming the field, without echoing the value.
     */
    private static String text(String value, String field, int max) {
        String problem = SafeText.problemWith(value, max);
        if (problem != null) {
            throw Problems.invalidRequest(field + ": " + problem);
        }
        return value;
    }

    private static void validity(Contract contract) {
        if (contract.validTo != null && contract.validTo.isBefore(contract.validFrom)) {
            throw Problems.invalidRequest("validTo: must not be before validFrom");
        }
    }

    private static Map<String, List<TariffTier>> tiers(Map<String, List<TariffRequest.Tier>> products) {
        Map<String, List<TariffTier>> result = new LinkedHashMap<>();
        for (var entry : products.entrySet()) {
            String product = product(entry.getKey(), "products");
            List<TariffTier> tiers = new ArrayList<>();
            long previous = 0;
            List<TariffRequest.Tier> given = entry.getValue();
            for (int i = 0; i < given.size(); i++) {
                TariffRequest.Tier tier = given.get(i);
                boolean last = i == given.size() - 1;
                String field = "products." + product + "[" + i + "].upTo";
                if (last && tier.upTo() != null) {
                    throw Problems.invalidRequest(field + ": the last tier is open (null)");
                }
                if (!last && (tier.upTo() == null || tier.upTo() <= previous)) {
                    throw Problems.invalidRequest(field + ": tiers must rise strictly, the last one alone open");
                }
                tiers.add(new TariffTier(tier.upTo(), tier.unitPrice()));
                previous = tier.upTo() == null ? previous : tier.upTo();
            }
            result.put(product, List.copyOf(tiers));
        }
        return result;
    }

    private static List<String> products(List<String> given) {
        Set<String> products = new LinkedHashSet<>();
        for (String product : given) {
            products.add(product(product, "products"));
        }
        return List.copyOf(products);
    }

    private static String product(String value, String field) {
        try {
            return Product.valueOf(value.strip()).name();
        } catch (IllegalArgumentException e) {
            throw Problems.invalidRequest(field + ": unknown product '" + value + "'");
        }
    }

    private static List<String> purposes(List<String> given) {
        Set<String> purposes = new LinkedHashSet<>();
        for (String purpose : given) {
            String value = purpose.strip();
            if (!PURPOSE.matcher(value).matches()) {
                throw Problems.invalidRequest("purposes: '" + value + "' is not an upper-case identifier");
            }
            purposes.add(value);
        }
        return List.copyOf(purposes);
    }

    private static List<String> policy(List<String> fields) {
        Set<String> policy = new LinkedHashSet<>();
        for (String field : fields) {
            policy.add(DataPolicyField.parse(field.strip()).orElseThrow(() -> Problems.invalidRequest(
                    "dataPolicy.fields: unknown field '" + field + "'")).policyName());
        }
        return List.copyOf(policy);
    }

    private static List<String> scopes(List<String> requested, Set<Scope> allowed) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String value : requested) {
            Scope scope = Scope.parse(value.strip()).orElseThrow(() -> Problems.invalidRequest(
                    "scopes: unknown scope '" + value + "'"));
            if (!allowed.contains(scope)) {
                throw Problems.invalidRequest("scopes: '" + scope.value() + "' is not for "
                        + (allowed == REGISTRY_SCOPES ? "the registry's own clients" : "a contract's clients"));
            }
            scopes.add(scope.value());
        }
        return List.copyOf(scopes);
    }
}
