-- The replica's typed life events (DECEASED, RETIRED, NAME_CHANGED, DOCUMENT_REVOKED) waiting to be published on
-- registry.person-notifications: written in the transaction that applies the registry event, deleted once the broker
-- has acknowledged them. A crash between the commit and the publication leaves the rows here for the next batch of
-- the same person or the periodic sweep; a crash between the publication and the delete publishes them again under
-- the same event_id (readers deduplicate by it). No personal data: KIdCs, a type and times.
CREATE TABLE life_event_outbox (
    id            bigserial   PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    kidc          text        NOT NULL,
    sequence      bigint      NOT NULL,
    type          text        NOT NULL CHECK (type IN ('DECEASED', 'RETIRED', 'NAME_CHANGED', 'DOCUMENT_REVOKED')),
    occurred_at   timestamptz NOT NULL,
    data_as_of    timestamptz NOT NULL,
    survivor_kidc text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX life_event_outbox_kidc ON life_event_outbox (kidc, id);
