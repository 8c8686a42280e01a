package kh.dds.api.contract.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.api.contract.Contract;
import kh.dds.api.contract.ContractKind;
import kh.dds.api.contract.ContractStatus;

/** A contract as administrators see it. */
public record ContractView(UUID id, String organisation, ContractKind kind, LocalDate validFrom, LocalDate validTo,
                           ContractStatus status, List<String> products, List<String> purposes,
                           Map<String, List<String>> dataPolicy, int rateLimitPerSecond, Long monthlyQuota,
                           UUID tariffId, int minCellSize, boolean operatorIdRequired, LocalDate confidentialUntil,
                           Instant createdAt, Instant updatedAt) {

    public static ContractView of(Contract c) {
        return new ContractView(c.id, c.organisation, c.kind, c.validFrom, c.validTo, c.status, c.products,
                c.purposes, Map.of("fields", c.dataPolicy), c.rateLimitPerSecond, c.monthlyQuota, c.tariffId,
                c.minCellSize, c.operatorIdRequired, c.confidentialUntil, c.createdAt, c.updatedAt);
    }
}
