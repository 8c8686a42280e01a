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
        UUID tariffId,
        @Min(1) Integer minCellSize,
        Boolean operatorIdRequired,
        LocalDate confidentialUntil) {
}
