-- Change notifications (SPEC §4.5): what each contract subscribed to, and one notification per (contract, life
-- event), which is both the feed (ordered by id) and the webhook's work queue.

-- A contract's subscriptions: a KIdC need not be in the registry (it may be registered later). Matching a life event
-- is an index lookup by KIdC (subscription_kidc), listing a contract's subscriptions a range of the primary key.
CREATE TABLE subscription (
    contract_id uuid        NOT NULL,
    kidc        text        NOT NULL CHECK (kidc ~ '^[0-9]{10}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contract_id, kidc)
);
CREATE INDEX subscription_kidc ON subscription (kidc);

-- One notification per contract and life event (the replica's event id: a life event delivered twice is one
-- notification). id orders the feed; notification_id is the webhook-id, the same on every retry. lookup_id and
-- delivered_at are set together, once, when the notification is first delivered: they are the id and the time of its
-- one lookup record (product NOTIFY), so that a record sent again after a crash is the same record to the ledger and
-- to billing, which deduplicate by them. body is the notification exactly as
-- delivered and signed, built once, holding registry values only where the contract's data policy allowed them.
CREATE TABLE notification (
    id              bigserial   PRIMARY KEY,
    notification_id uuid        NOT NULL UNIQUE,
    contract_id     uuid        NOT NULL,
    event_id        uuid        NOT NULL,
    kidc            text        NOT NULL,
    sequence        bigint      NOT NULL,
    type            text        NOT NULL,
    body            text        NOT NULL,
    fields_disclosed jsonb      NOT NULL,
    lookup_id       uuid        UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- first delivery (a webhook's 2xx, or the first read from the feed): audited and billed from then on
    delivered_at    timestamptz,
    delivered_by    text,
    -- when the broker acknowledged its lookup record; NULL while delivered but not yet audited
    audited_at      timestamptz,
    -- the webhook: NONE (the contract had no webhook), PENDING, DELIVERED, PARKED (its retries ran out)
    webhook_state   text        NOT NULL CHECK (webhook_state IN ('NONE', 'PENDING', 'DELIVERED', 'PARKED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    lease_until     timestamptz,
    last_error      text,
    UNIQUE (contract_id, event_id)
);
CREATE INDEX notification_feed ON notification (contract_id, id);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE webhook_state = 'PENDING';
CREATE INDEX notification_order ON notification (contract_id, kidc, sequence) WHERE webhook_state = 'PENDING';
CREATE INDEX notification_parked ON notification (contract_id, id) WHERE webhook_state = 'PARKED';
CREATE INDEX notification_unaudited ON notification (delivered_at) WHERE delivered_at IS NOT NULL AND audited_at IS NULL;
