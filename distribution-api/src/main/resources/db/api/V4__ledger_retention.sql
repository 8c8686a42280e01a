-- Retention per product (SPEC §4.6): a product's expired month is archived, then dropped, and the removal is itself
-- an entry of the ledger. So that a month of one product can be dropped whole (no DELETE, no bloat), each month's
-- partition is partitioned again by product; the primary key must then name the product too (a lookup id is still
-- unique on its own: the writer skips an id it holds).

ALTER TABLE audit.lookup_record DROP CONSTRAINT lookup_record_pkey;

-- Months written before this migration become partitioned by product: each is detached, a partitioned month takes
-- its place, its rows move in (lanes, sequences and hashes unchanged, so every chain still verifies), it is dropped.
DO $$
DECLARE
    month_partition record;
    product text;
BEGIN
    FOR month_partition IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit.lookup_record'::regclass AND c.relkind = 'r'
          AND c.relname ~ '^lookup_record_y[0-9]{4}m[0-9]{2}$'
    LOOP
        EXECUTE format('ALTER TABLE audit.%I DETACH PARTITION audit.%I', 'lookup_record', month_partition.relname);
        EXECUTE format('ALTER TABLE audit.%I RENAME TO %I', month_partition.relname, month_partition.relname || '_old');
        EXECUTE format('CREATE TABLE audit.%I PARTITION OF audit.lookup_record %s PARTITION BY LIST (product)',
                       month_partition.relname, month_partition.bound);
        FOREACH product IN ARRAY ARRAY['VERIFY', 'LOOKUP', 'BULK_VERIFY', 'STATISTICS', 'NOTIFY'] LOOP
            EXECUTE format('CREATE TABLE audit.%I PARTITION OF audit.%I FOR VALUES IN (%L)',
                           month_partition.relname || '_' || lower(product), month_partition.relname, product);
        END LOOP;
        EXECUTE format('INSERT INTO audit.%I SELECT * FROM audit.%I', month_partition.relname,
                       month_partition.relname || '_old');
        EXECUTE format('DROP TABLE audit.%I', month_partition.relname || '_old');
    END LOOP;
END $$;

ALTER TABLE audit.lookup_record ADD PRIMARY KEY (lookup_id, occurred_at, product);

-- The removals of expired entries, each an entry of the ledger's own lane (9000, with its head in audit.lane and its
-- checkpoints in audit.checkpoint like any lane). The runs say, per lane, which entries went and the hashes on each
-- side, so that the chains verify across the gap; the archive, by its SHA-256, what they were.
CREATE TABLE audit.removal (
    seq            bigint      PRIMARY KEY,
    removal_id     uuid        NOT NULL UNIQUE,
    removed_at     timestamptz NOT NULL,
    product        text        NOT NULL,
    month          date        NOT NULL,
    retention      text        NOT NULL,
    records        bigint      NOT NULL,
    run_lane       smallint[]  NOT NULL,
    run_from       bigint[]    NOT NULL,
    run_to         bigint[]    NOT NULL,
    run_prev_hash  bytea[]     NOT NULL,
    run_last_hash  bytea[]     NOT NULL,
    archive        text        NOT NULL,
    archive_sha256 bytea       NOT NULL,
    prev_hash      bytea       NOT NULL,
    hash           bytea       NOT NULL,
    UNIQUE (month, product)
);
