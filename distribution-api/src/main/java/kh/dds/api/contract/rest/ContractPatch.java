package kh.dds.api.contract.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import kh.dds.api.contract.ContractStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code PATCH /v1/admin/contracts/{id}}: every field optional; an absent field is left as it is. */
public record ContractPatch(
        ContractStatus status,
        @Size(max = 300) String organisation,
        LocalDate validTo,
        @Size(min = 1) List<@NotBlank String> products,
        @Size(min = 1) List<@NotBlank String> purposes,
        @Valid ContractRequest.DataPolicy dataPolicy,
        @Min(1) @Max(1_000_000) Integer rateLimitPerSecond,
        @PositiveOrZero Long monthlyQuota,
        @Schema(description = "The tariff from tariffEffectiveFrom on; it becomes the contract's tariffId")
        UUID tariffId,
        @Schema(description = "Only with tariffId: the Asia/Phnom_Penh calendar day the tariff takes effect, until "
                + "the next change. Default: today (the contract's validFrom if it has not begun). Not before "
                + "validFrom; not before the first day of the current month (409 tariff-change-in-closed-month).")
        LocalDate tariffEffectiveFrom,
        @Min(1) Integer minCellSize,
        Boolean operatorIdRequired,
        LocalDate confidentialUntil,
        @Schema(description = "Days a bulk job's results are kept after it ends (default 30)")
        @Min(1) @Max(3650) Integer bulkRetentionDays,
        @Schema(description = "Bulk jobs open at once (receiving, queued or running); absent: the service's default")
        @Min(1) @Max(1000) Integer bulkMaxOpenJobs,
        @Schema(description = "Lines a bulk job may hold; absent: the service's default")
        @Min(1) Long bulkMaxLinesPerJob) {
}
