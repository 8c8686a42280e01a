-- One webhook endpoint per contract (SPEC §4.5). Its signing secret is needed to sign, so it cannot be hashed: it
-- is stored encrypted (AES-256-GCM under api.notifications.secret-key, which never enters the database). During a
-- rotation the previous secret keeps signing beside the new one until previous_valid_until.
CREATE TABLE webhook_endpoint (
    contract_id          uuid        PRIMARY KEY,
    url                  text        NOT NULL,
    secret               bytea       NOT NULL,
    previous_secret      bytea,
    previous_valid_until timestamptz,
    failures             bigint      NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- A parked notification replayed by its contract starts a fresh retry budget from here (else from its creation).
ALTER TABLE notification ADD COLUMN retry_since timestamptz;
