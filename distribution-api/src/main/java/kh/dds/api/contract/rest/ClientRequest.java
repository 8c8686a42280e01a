package kh.dds.api.contract.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** {@code POST /v1/admin/contracts/{id}/clients} and {@code POST /v1/admin/clients}. */
public record ClientRequest(@NotEmpty List<@NotBlank String> scopes) {
}
