package kh.dds.api.contract;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import kh.dds.schema.lookup.Product;

/**
 * What a call may do, as the hot path reads it: the client and, for a relying party's client, its contract.
 *
 * @param contract {@code null} for the registry's own clients
 * @param tokensValidAfter tokens of this client issued before this instant are refused, or {@code null}
 * @param issuer the external identity provider whose tokens this client presents, or {@code null} for a client of
 *        the API's own token endpoint
 */
public record Access(String clientId, ClientStatus clientStatus, Set<String> clientScopes, Terms contract,
                     Instant tokensValidAfter, String issuer) {

    /** Whether a token of this client issued at {@code issuedAtEpochSecond} still counts. */
    public boolean acceptsTokenIssuedAt(long issuedAtEpochSecond) {
        return tokensValidAfter == null || issuedAtEpochSecond >= tokensValidAfter.getEpochSecond();
    }

    /** A contract's terms, as every personal-data call checks them. */
    public record Terms(UUID id, ContractStatus status, LocalDate validFrom, LocalDate validTo, Set<Product> products,
                        Set<String> purposes, List<DataPolicyField> dataPolicy, int rateLimitPerSecond,
                        Long monthlyQuota, boolean operatorIdRequired, LocalDate confidentialUntil, int minCellSize) {

        /** In force on {@code day}: active, and within its validity period. */
        public boolean inForceOn(LocalDate day) {
            return status == ContractStatus.ACTIVE && !day.isBefore(validFrom) && (validTo == null || !day.isAfter(validTo));
        }
    }
}
