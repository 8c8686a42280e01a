-- The audit ledger (SPEC §4.6): every lookup record exactly once, chained, in monthly partitions.
-- Sizing: at Aadhaar-like volume (~70 million records a day, ~2.1 billion a month) a record takes ~350 bytes on disk
-- with its indexes, ~0.75 TB a month; a month is one partition, so retention drops whole partitions (no DELETE, no
-- bloat), and a query bounded in time touches only its months. See README "The audit ledger".

CREATE SCHEMA IF NOT EXISTS audit;

-- One row per lookup record. lane = the Kafka partition it arrived on: each lane is one hash chain, written by the
-- one consumer that owns the partition, so the ledger scales with the partitions; seq numbers a lane from 1.
CREATE TABLE audit.lookup_record (
    occurred_at      timestamptz NOT NULL,
    lookup_id        uuid        NOT NULL,
    lane             smallint    NOT NULL,
    seq              bigint      NOT NULL,
    contract_id      uuid        NOT NULL,
    client_id        text        NOT NULL,
    operator_id      text,
    purpose          text,
    product          text        NOT NULL,
    subject_kidc     text,
    outcome          text        NOT NULL,
    decision         text,
    fields_disclosed text[]      NOT NULL,
    http_status      smallint    NOT NULL,
    billable         boolean     NOT NULL,
    latency_micros   bigint      NOT NULL,
    prev_hash        bytea       NOT NULL,
    hash             bytea       NOT NULL,
    -- occurred_at is the time in the lookup id (a UUIDv7): the key is unique by lookup id alone
    PRIMARY KEY (lookup_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE INDEX lookup_record_chain ON audit.lookup_record (lane, seq);
CREATE INDEX lookup_record_subject ON audit.lookup_record (subject_kidc, occurred_at);
CREATE INDEX lookup_record_contract ON audit.lookup_record (contract_id, occurred_at);
CREATE INDEX lookup_record_time ON audit.lookup_record USING brin (occurred_at);

-- The head of each lane: where its chain stands, and the Kafka offset it has taken in (redeliveries stop here).
CREATE TABLE audit.lane (
    lane         smallint    PRIMARY KEY,
    seq          bigint      NOT NULL,
    head_hash    bytea       NOT NULL,
    kafka_offset bigint      NOT NULL,
    updated_at   timestamptz NOT NULL
);

-- Signed statements of a lane's head (Ed25519); exportable, so that outside parties can keep them.
CREATE TABLE audit.checkpoint (
    lane       smallint    NOT NULL,
    seq        bigint      NOT NULL,
    head_hash  bytea       NOT NULL,
    records    bigint      NOT NULL,
    at         timestamptz NOT NULL,
    key_id     text        NOT NULL,
    signature  bytea       NOT NULL,
    PRIMARY KEY (lane, seq)
);
