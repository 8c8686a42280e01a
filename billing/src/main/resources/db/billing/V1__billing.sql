-- Billing (SPEC §4.7): every billable lookup record metered exactly once, usage per contract, product and day,
-- and the invoices of closed months. Billing reads, and never writes, the API's contracts and tariffs (api.*) and
-- the audit ledger (audit.lookup_record), for prices and for reconciliation.

-- Every lookup record metered, once: the de-duplication key (lookup_id) with what was counted for it. A record
-- always falls on the same day (that of its occurred_at, in Phnom Penh), so (day, lookup_id) is unique by
-- lookup id alone. Monthly partitions, created by the meter as it meets a new month; at ~70 M records a day a month
-- is ~2 G rows of ~60 bytes, so old months are dropped once no replay can reach them.
CREATE TABLE metered_call (
    day          date    NOT NULL,
    lookup_id    uuid    NOT NULL,
    contract_id  uuid    NOT NULL,
    product      text    NOT NULL,
    billable     boolean NOT NULL,
    PRIMARY KEY (day, lookup_id)
) PARTITION BY RANGE (day);

-- Usage, counted in the same statement that records the metered calls: billed count = audited billable count.
CREATE TABLE usage_daily (
    contract_id   uuid   NOT NULL,
    day           date   NOT NULL,
    product       text   NOT NULL,
    billable      bigint NOT NULL CHECK (billable >= 0),
    non_billable  bigint NOT NULL CHECK (non_billable >= 0),
    PRIMARY KEY (contract_id, day, product)
);

-- Document numbers without gaps: the series' row is locked by the transaction that issues, and rolls back with it.
CREATE TABLE document_series (
    series  text   PRIMARY KEY,
    last    bigint NOT NULL
);

-- Invoices and credit notes, immutable once issued. For a contract and month, the documents sum to what the
-- tariffs give for the metered usage: a correction credits the live invoice in full and issues a new one.
CREATE TABLE invoice (
    id            uuid        PRIMARY KEY,
    number        text        NOT NULL UNIQUE,
    kind          text        NOT NULL CHECK (kind IN ('INVOICE', 'CREDIT_NOTE')),
    contract_id   uuid        NOT NULL,
    organisation  text        NOT NULL,
    month         date        NOT NULL CHECK (extract(day FROM month) = 1),
    -- the invoice a credit note reverses, or the invoice an invoice replaces
    corrects      uuid        REFERENCES invoice (id),
    reason        text,
    currency      char(3)     NOT NULL,
    units         bigint      NOT NULL,
    total         bigint      NOT NULL,
    issued_at     timestamptz NOT NULL
);

CREATE INDEX invoice_contract ON invoice (contract_id, month);
-- at most one live invoice per contract and month: a credit note reverses one invoice, once
CREATE UNIQUE INDEX invoice_credited_once ON invoice (corrects) WHERE kind = 'CREDIT_NOTE';

CREATE TABLE invoice_line (
    invoice_id  uuid   NOT NULL REFERENCES invoice (id),
    line_no     int    NOT NULL,
    product     text   NOT NULL,
    tariff_id   uuid,
    tier        int    NOT NULL,
    -- the tier covers the month's units above tier_from up to tier_up_to (none: no upper bound)
    tier_from   bigint NOT NULL,
    tier_up_to  bigint,
    units       bigint NOT NULL,
    unit_price  bigint NOT NULL,
    amount      bigint NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

CREATE FUNCTION refuse_change_to_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issued invoices are immutable: % on % refused; correct with a credit note', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_issued();
CREATE TRIGGER invoice_immutable_truncate BEFORE TRUNCATE ON invoice
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_issued();
CREATE TRIGGER invoice_line_immutable BEFORE UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_issued();
CREATE TRIGGER invoice_line_immutable_truncate BEFORE TRUNCATE ON invoice_line
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_issued();
