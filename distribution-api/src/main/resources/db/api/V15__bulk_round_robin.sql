-- Bulk chunks are taken round-robin across contracts, then across a contract's jobs (SPEC §4.3: one contract's huge
-- job does not hold back another's small one): when a chunk of the job was last taken.
ALTER TABLE bulk_job ADD COLUMN claimed_at timestamptz;
