-- Bulk verification (SPEC §4.3): a job, its chunks (the unit of work a node claims under a lease) and its lines.
-- An upload is written here as it arrives, chunk by chunk, so that it is never only in one node's memory or disk.

-- Per contract: how long a job's results are kept after it ends, and (null: the service's default) how many jobs may
-- be open at once and how many lines a job may hold.
ALTER TABLE contract ADD COLUMN bulk_retention_days integer NOT NULL DEFAULT 30
    CHECK (bulk_retention_days BETWEEN 1 AND 3650);
ALTER TABLE contract ADD COLUMN bulk_max_open_jobs integer CHECK (bulk_max_open_jobs >= 1);
ALTER TABLE contract ADD COLUMN bulk_max_lines_per_job bigint CHECK (bulk_max_lines_per_job >= 1);

CREATE TABLE bulk_job (
    id              uuid        PRIMARY KEY,
    contract_id     uuid        NOT NULL REFERENCES contract (id),
    client_id       text        NOT NULL CHECK (length(client_id) <= 128),
    operator_id     text        CHECK (length(operator_id) <= 128),
    purpose         text        NOT NULL CHECK (length(purpose) <= 128),
    format          text        NOT NULL CHECK (format IN ('NDJSON', 'CSV')),
    idempotency_key text        CHECK (length(idempotency_key) <= 256),
    status          text        NOT NULL
                    CHECK (status IN ('RECEIVING', 'QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED', 'FAILED')),
    -- why a job failed or stopped early (a problem type: upload-interrupted, payload-too-large, quota-exceeded …)
    reason          text        CHECK (length(reason) <= 128),
    lines_received  bigint      NOT NULL DEFAULT 0,
    bytes_received  bigint      NOT NULL DEFAULT 0,
    chunks          integer     NOT NULL DEFAULT 0,
    lines_done      bigint      NOT NULL DEFAULT 0,
    matched         bigint      NOT NULL DEFAULT 0,
    partial         bigint      NOT NULL DEFAULT 0,
    not_matched     bigint      NOT NULL DEFAULT 0,
    errors          bigint      NOT NULL DEFAULT 0,
    quota_exceeded  bigint      NOT NULL DEFAULT 0,
    cancelled       bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    -- the upload's last sign of life: a RECEIVING job silent for longer than api.bulk.upload-timeout is FAILED
    heartbeat_at    timestamptz NOT NULL,
    queued_at       timestamptz,
    started_at      timestamptz,
    finished_at     timestamptz,
    -- when the job and its results are deleted (set when it ends: its end plus the contract's retention)
    expires_at      timestamptz,
    UNIQUE (contract_id, idempotency_key)
);
CREATE INDEX bulk_job_open ON bulk_job (contract_id) WHERE status IN ('RECEIVING', 'QUEUED', 'RUNNING');
CREATE INDEX bulk_job_expiry ON bulk_job (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX bulk_job_created ON bulk_job (created_at);

-- A chunk goes PENDING → VERIFIED (its lines verified, their results and lookup records stored, in one transaction)
-- → DONE (the records acknowledged by Kafka; its results readable). CANCELLED and QUOTA_EXCEEDED end a chunk that was
-- never verified. A lease (lease_owner, lease_until) says which node works on it; an expired lease lets another take
-- it: a PENDING chunk is verified again from scratch (nothing of it left the node), a VERIFIED one has its stored
-- records produced again, the same ids and times, which the ledger and billing de-duplicate.
CREATE TABLE bulk_chunk (
    job_id          uuid        NOT NULL REFERENCES bulk_job (id) ON DELETE CASCADE,
    chunk_no        integer     NOT NULL,
    first_line      bigint      NOT NULL,
    last_line       bigint      NOT NULL,
    line_count      integer     NOT NULL,
    state           text        NOT NULL DEFAULT 'PENDING'
                    CHECK (state IN ('PENDING', 'VERIFIED', 'DONE', 'CANCELLED', 'QUOTA_EXCEEDED')),
    lease_owner     text,
    lease_until     timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    -- when the chunk was first claimed: every lookup record of the chunk occurred then, on every attempt, so that
    -- its quota reservation and its billed day are those of its first attempt
    stamped_at      timestamptz,
    -- the quota units the chunk holds (set with VERIFIED); the reservation itself is keyed by job and chunk in the
    -- counters' Redis, so that a redo finds it rather than reserving again
    quota_reserved  integer,
    matched         integer     NOT NULL DEFAULT 0,
    partial         integer     NOT NULL DEFAULT 0,
    not_matched     integer     NOT NULL DEFAULT 0,
    errors          integer     NOT NULL DEFAULT 0,
    quota_exceeded  integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, chunk_no)
);
CREATE INDEX bulk_chunk_open ON bulk_chunk (job_id, chunk_no) WHERE state IN ('PENDING', 'VERIFIED');

-- One row a line that is not empty, under the client's line number. An accepted line keeps its request (canonical
-- JSON), a refused one its problem; once verified, its result row (JSON) and what its lookup record says.
CREATE TABLE bulk_line (
    job_id          uuid        NOT NULL REFERENCES bulk_job (id) ON DELETE CASCADE,
    line_no         bigint      NOT NULL,
    chunk_no        integer     NOT NULL,
    kidc            text        CHECK (length(kidc) <= 64),
    request         text,
    problem_type    text        CHECK (length(problem_type) <= 64),
    problem_detail  text        CHECK (length(problem_detail) <= 512),
    result          text,
    lookup_id       uuid,
    outcome         text,
    decision        text,
    http_status     smallint,
    billable        boolean,
    latency_micros  bigint,
    PRIMARY KEY (job_id, line_no)
);
