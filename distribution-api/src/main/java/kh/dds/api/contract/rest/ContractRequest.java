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
        LocalDate confidentialUntil) {

    public record DataPolicy(@NotNull List<@NotBlank String> fields) {
    }
}
