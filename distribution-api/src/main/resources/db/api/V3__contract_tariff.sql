-- Which tariff a contract is priced at, day by day (SPEC §4.7): a tariff change takes effect from a date without
-- rewriting closed months. contract.tariff_id keeps the tariff assigned last; this table keeps when each took effect.

CREATE TABLE contract_tariff (
    contract_id    uuid        NOT NULL REFERENCES contract (id),
    -- a calendar day in Asia/Phnom_Penh; the tariff is in effect from this day until the next row's day
    effective_from date        NOT NULL,
    tariff_id      uuid        NOT NULL REFERENCES tariff (id),
    assigned_at    timestamptz NOT NULL,
    PRIMARY KEY (contract_id, effective_from)
);

CREATE INDEX contract_tariff_tariff ON contract_tariff (tariff_id);

COMMENT ON TABLE contract_tariff IS
    'Tariff history per contract: billing prices each day''s calls with the tariff in effect that day, the row with '
    'the latest effective_from (an Asia/Phnom_Penh calendar day) on or before it. The API refuses changes effective '
    'in a month before the current one: those months are being or have been invoiced.';

-- Contracts made before this table: their tariff has been in effect since the contract began.
INSERT INTO contract_tariff (contract_id, effective_from, tariff_id, assigned_at)
SELECT id, valid_from, tariff_id, created_at FROM contract WHERE tariff_id IS NOT NULL;
