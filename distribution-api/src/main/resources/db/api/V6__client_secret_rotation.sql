-- A client secret's rotation with an overlap, and the moment before which a client's tokens no longer count
-- (SPEC §4.7, §4.8; see ContractAdministration.rotate and Callers.standing).

-- the secret replaced by the last rotation, accepted by the token endpoint until previous_secret_valid_until
ALTER TABLE api_client ADD COLUMN previous_secret_hash text;
ALTER TABLE api_client ADD COLUMN previous_secret_valid_until timestamptz;
-- tokens issued (iat) before this are refused on every call: set by a revocation and by a rotation without
-- overlap, always to a whole second (a token's iat is in whole seconds)
ALTER TABLE api_client ADD COLUMN tokens_valid_after timestamptz;

ALTER TABLE api_client ADD CONSTRAINT api_client_previous_secret
    CHECK ((previous_secret_hash IS NULL) = (previous_secret_valid_until IS NULL));

-- secret_hash: 'hmac-sha256$…' (keyed with api.token.secret-pepper) for secrets set from now on; earlier ones stay
-- 'pbkdf2-sha256$…' until their first successful use re-hashes them (ClientSecrets)
COMMENT ON COLUMN api_client.secret_hash IS 'hmac-sha256$<base64url> (keyed, see ClientSecrets), or a legacy pbkdf2-sha256$<iterations>$<salt>$<hash>';
