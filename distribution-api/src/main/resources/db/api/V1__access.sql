-- Who may call the distribution API, under which contract, and at what price (SPEC §4.7, §4.8).

CREATE TABLE tariff (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    currency    char(3)     NOT NULL CHECK (currency = 'KHR'),
    -- per product, graduated tiers per calendar month: [{"upTo": 100000, "unitPrice": 400}, {"upTo": null, ...}]
    products    jsonb       NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE contract (
    id                    uuid        PRIMARY KEY,
    organisation          text        NOT NULL,
    kind                  text        NOT NULL CHECK (kind IN ('BANK', 'TELCO', 'MINISTRY', 'OTHER')),
    valid_from            date        NOT NULL,
    valid_to              date,
    status                text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'EXPIRED')),
    products              jsonb       NOT NULL,
    purposes              jsonb       NOT NULL,
    -- the fields an attribute retrieval may disclose (SPEC §4.2)
    data_policy           jsonb       NOT NULL,
    rate_limit_per_second integer     NOT NULL CHECK (rate_limit_per_second > 0),
    monthly_quota         bigint      CHECK (monthly_quota >= 0),
    tariff_id             uuid        REFERENCES tariff (id),
    min_cell_size         integer     NOT NULL CHECK (min_cell_size >= 1),
    operator_id_required  boolean     NOT NULL,
    -- until this date the contract's lookups stay out of the persons' own access logs (an investigation)
    confidential_until    date,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    row_version           integer     NOT NULL
);

CREATE TABLE api_client (
    client_id    text        PRIMARY KEY,
    -- NULL for the registry's own clients (administrators, auditors), which act under no contract
    contract_id  uuid        REFERENCES contract (id),
    scopes       jsonb       NOT NULL,
    -- PBKDF2-HMAC-SHA256, salted: see ClientSecrets
    secret_hash  text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    created_at   timestamptz NOT NULL,
    rotated_at   timestamptz,
    revoked_at   timestamptz,
    row_version  integer     NOT NULL
);

CREATE INDEX api_client_contract ON api_client (contract_id);
