-- The read-optimised replica of the Population Registry.
-- One row per person: a verification or a lookup by KIdC is one primary-key read; the columns that statistics group by
-- (status, province, sex, birth date) sit beside the registry's record, which is kept whole as JSON in the registry's
-- own field names.
CREATE TABLE person (
    kidc             char(10)    PRIMARY KEY,
    -- the person's own registry sequence last accounted for (applied, or dead-lettered in its turn)
    version          bigint      NOT NULL,
    -- ACTIVE, DECEASED, RETIRED; NULL while the person has no readable record yet (its first event was dead-lettered)
    status           text,
    sex              char(1),
    -- the earliest day the (possibly partial) birth date stands for, and its precision: Y, M or D
    birth_date       date,
    birth_precision  char(1),
    address_province char(2),
    date_of_death    date,
    survivor_kidc    char(10),
    record           jsonb,
    -- when the registry event last applied to this person occurred: the person's dataAsOf
    last_event_at    timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- statistics: counts of active persons by province, sex and age band, answered from the index alone
CREATE INDEX person_statistics ON person (address_province, sex, birth_date) WHERE status = 'ACTIVE';

-- events that arrived ahead of a gap in their person's sequence, held until the gap fills
CREATE TABLE held_event (
    kidc            char(10)    NOT NULL,
    sequence        bigint      NOT NULL,
    event           text        NOT NULL,
    source_partition int        NOT NULL,
    source_offset   bigint      NOT NULL,
    held_since      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kidc, sequence)
);

-- counters kept in the same transaction as the rows they count, so they hold across crashes
CREATE TABLE replica_state (
    id              smallint    PRIMARY KEY CHECK (id = 1),
    persons         bigint      NOT NULL,
    applied         bigint      NOT NULL,
    duplicates      bigint      NOT NULL,
    held            bigint      NOT NULL,
    dead_lettered   bigint      NOT NULL,
    last_event_at   timestamptz
);
INSERT INTO replica_state VALUES (1, 0, 0, 0, 0, 0, NULL);

-- snapshot files bulk-loaded, with the topic positions they reflect
CREATE TABLE snapshot_load (
    snapshot_id     text        PRIMARY KEY,
    persons         bigint      NOT NULL,
    positions       jsonb       NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL
);
