-- Clients whose tokens an external identity provider issues (SPEC §4: "an external identity provider can replace the
-- token endpoint by configuration alone"): the provider's issuer, and no secret here - the provider holds it. The API
-- still holds their contract binding, scopes and standing, so that revoking one or suspending its contract is refused
-- exactly as for a client of the built-in token endpoint. NULL issuer: a client of the built-in endpoint.
ALTER TABLE api_client ADD COLUMN issuer text;
ALTER TABLE api_client ALTER COLUMN secret_hash DROP NOT NULL;
ALTER TABLE api_client ADD CONSTRAINT api_client_secret_here_or_issuer
    CHECK ((issuer IS NULL) = (secret_hash IS NOT NULL));
