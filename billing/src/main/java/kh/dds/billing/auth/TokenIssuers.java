package kh.dds.billing.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whose tokens billing accepts: the API's own ({@code mp.jwt.verify.*}, against the keys the API publishes), and
 * those of the external identity providers the API trusts too, configured alike
 * ({@code billing.token.trusted-issuers.<name>.*}, as {@code api.token.trusted-issuers.<name>.*}).
 */
@ConfigMapping(prefix = "billing.token")
public interface TokenIssuers {

    /** Refuse tokens not typed {@code at+jwt} (default {@code true}). */
    @WithDefault("true")
    boolean requireAccessTokenType();

    Map<String, TrustedIssuer> trustedIssuers();

    /** An external identity provider and where its tokens say what the API's own tokens say. */
    interface TrustedIssuer {

        String issuer();

        String jwks();

        @WithDefault("dds-api")
        String audience();

        @WithDefault("azp")
        String clientIdClaim();

        @WithDefault("contract_id")
        String contractClaim();

        /** Its clients people sign in at (the console): their tokens are a person's. */
        Optional<Set<String>> peopleClients();
    }
}
