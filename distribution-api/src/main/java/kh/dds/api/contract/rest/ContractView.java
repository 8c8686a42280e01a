package kh.dds.api.contract.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.api.contract.Contract;
import kh.dds.api.contract.ContractKind;
import kh.dds.api.contract.ContractStatus;
import kh.dds.api.contract.ContractWithTariffs;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A contract as administrators see it. */
public record ContractView(UUID id, String organisation, ContractKind kind, LocalDate validFrom, LocalDate validTo,
                           ContractStatus status, List<String> products, List<String> purposes,
                           Map<String, List<String>> dataPolicy, int rateLimitPerSecond, Long monthlyQuota,
                           @Schema(description = "The tariff assigned last")
                           UUID tariffId,
                           @Schema(description = "The tariff history in date order: each tariff is in effect from "
                                   + "its day (Asia/Phnom_Penh) until the next one's")
                           List<TariffStep> tariffs,
                           int minCellSize, boolean operatorIdRequired, LocalDate confidentialUntil,
                           int bulkRetentionDays, Integer bulkMaxOpenJobs, Long bulkMaxLinesPerJob,
                           Instant createdAt, Instant updatedAt) {

    /** One step of the tariff history. */
    public record TariffStep(LocalDate effectiveFrom, UUID tariffId) {
    }

    public static ContractView of(ContractWithTariffs administered) {
        Contract c = administered.contract();
        List<TariffStep> tariffs = administered.tariffs().stream()
                .map(step -> new TariffStep(step.effectiveFrom, step.tariffId)).toList();
        return new ContractView(c.id, c.organisation, c.kind, c.validFrom, c.validTo, c.status, c.products,
                c.purposes, Map.of("fields", c.dataPolicy), c.rateLimitPerSecond, c.monthlyQuota, c.tariffId,
                tariffs, c.minCellSize, c.operatorIdRequired, c.confidentialUntil, c.bulkRetentionDays, c.bulkMaxOpenJobs,
                c.bulkMaxLinesPerJob, c.createdAt, c.updatedAt);
    }
}
