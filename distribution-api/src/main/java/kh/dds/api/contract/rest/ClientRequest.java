package kh.dds.api.contract.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /v1/admin/contracts/{id}/clients} and {@code POST /v1/admin/clients}.
 *
 * @param issuer with {@code clientId}: register a client of an external identity provider (one of
 *        {@code api.token.trusted-issuers}) instead of issuing a secret here
 * @param clientId the provider's id of that client (its tokens' client claim, {@code azp} for Keycloak)
 */
public record ClientRequest(@NotEmpty List<@NotBlank String> scopes,
                            @Size(max = 200) @Pattern(regexp = "[\\x21-\\x7e]+") String issuer,
                            @Size(max = 128) @Pattern(regexp = "[\\x21-\\x7e]+") String clientId) {
}
