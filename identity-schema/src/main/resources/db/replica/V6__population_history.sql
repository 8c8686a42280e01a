-- Population history (SPEC §4.4, issue 11): enough to count the active persons on any day since the replica began.
--
-- person_history is the truth: one row per period during which an active person's statistical profile held, written
-- in the same transaction as the person's row (by the event batch, or by a snapshot load). Days are Phnom Penh days
-- of the registry's own time for the event (occurredAt); a period holds from valid_from (inclusive) to valid_to
-- (exclusive, NULL while it holds). A person is counted on day D when a period holds on D: their state at the end of D.
--
-- population_day is derived from it: the counts of each closed day, built by the replica's PopulationDays (one
-- GROUP BY per day) and rebuilt when a late event changes a closed day (population_day_stale, written by the batch
-- that changed it). A day is read from population_day only when it is built and nothing stale lies at or before it;
-- otherwise (today, or a day being rebuilt) from person_history itself. Both give the same counts and key sums.

-- the person's record key for cell key perturbation (HMAC of the KIdC under the replica's secret, [0, 256)): never
-- published, the same for the same person across snapshot loads and rebuilds
ALTER TABLE person ADD COLUMN record_key smallint;

CREATE TABLE person_history (
    kidc            char(10) NOT NULL,
    valid_from      date     NOT NULL,
    valid_to        date,
    province        char(2),
    district        text,
    sex             char(1),
    -- the earliest day the (possibly partial) birth date stands for, as yyyymmdd: the age on day D (as yyyymmdd) is
    -- (D - birth_ymd) / 10000, whole years, with no date arithmetic
    birth_ymd       int,
    marital_status  text,
    citizenship     text,
    record_key      smallint NOT NULL,
    PRIMARY KEY (kidc, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE population_day (
    day             date     NOT NULL,
    province        char(2),
    district        text,
    sex             char(1),
    -- five-year bands: 0 for 0-4 ... 17 for 85+
    age_band        smallint,
    marital_status  text,
    citizenship     text,
    persons         int      NOT NULL,
    key_sum         bigint   NOT NULL
);
CREATE INDEX population_day_by_day ON population_day (day);

-- the days population_day holds, and when each was built
CREATE TABLE population_day_built (
    day             date        PRIMARY KEY,
    built_at        timestamptz NOT NULL
);

-- closed days a batch changed after they may have been built: rebuilt, then the marks removed (by id)
CREATE TABLE population_day_stale (
    id              bigserial   PRIMARY KEY,
    day             date        NOT NULL
);
CREATE INDEX population_day_stale_by_day ON population_day_stale (day);

-- the first day the history can answer: set once, by the first snapshot load or the first batch
ALTER TABLE replica_state ADD COLUMN history_began_on date;
