package kh.dds.api.contract.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import kh.dds.api.contract.ContractKind;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v1/admin/contracts}. */
public record ContractRequest(
        @NotBlank @Size(max = 300) String organisation,
        @NotNull ContractKind kind,
        @NotNull LocalDate validFrom,
        LocalDate validTo,
        @NotEmpty List<@NotBlank String> products,
        @NotEmpty List<@NotBlank String> purposes,
        @Valid DataPolicy dataPolicy,
        @NotNull @Min(1) @Max(1_000_000) Integer rateLimitPerSecond,
        @PositiveOrZero Long monthlyQuota,
        UUID tariffId,
        @Min(1) Integer minCellSize,
        Boolean operatorIdRequired,
        LocalDate confidentialUntil,
        @Schema(description = "Days a bulk job's results are kept after it ends (default 30)")
        @Min(1) @Max(3650) Integer bulkRetentionDays,
        @Schema(description = "Bulk jobs open at once (receiving, queued or running); absent: the service's default")
        @Min(1) @Max(1000) Integer bulkMaxOpenJobs,
        @Schema(description = "Lines a bulk job may hold; absent: the service's default")
        @Min(1) Long bulkMaxLinesPerJob) {

    public record DataPolicy(@NotNull List<@NotBlank String> fields) {
    }
}
