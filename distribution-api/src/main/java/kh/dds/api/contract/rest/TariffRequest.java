package kh.dds.api.contract.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/admin/tariffs}. */
public record TariffRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull @Pattern(regexp = "KHR", message = "amounts are in riel: the currency is KHR") String currency,
        @NotEmpty Map<String, @NotEmpty List<@Valid @NotNull Tier>> products) {

    public record Tier(Long upTo, @NotNull @PositiveOrZero Long unitPrice) {
    }
}
