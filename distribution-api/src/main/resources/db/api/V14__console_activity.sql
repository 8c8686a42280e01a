-- What people do in the web console (SPEC §4.9: "what a person does there is itself recorded"): who (the person the
-- identity provider's token names, never what the console says), through which client, what and when. Written by
-- POST /v1/audit/console-activity with the person's own token, read by auditors. Append-only for the API.
CREATE TABLE audit.console_activity (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    person      text        NOT NULL,
    issuer      text        NOT NULL,
    client_id   text        NOT NULL,
    contract_id text,
    action      text        NOT NULL,
    target      text,
    outcome     text        NOT NULL
);

CREATE INDEX console_activity_time ON audit.console_activity (occurred_at DESC, id DESC);
CREATE INDEX console_activity_person ON audit.console_activity (person, occurred_at DESC);
