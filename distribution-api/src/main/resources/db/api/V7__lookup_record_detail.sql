-- What a call concerned beyond its subject (a bulk job's id and line number, a statistics query's parameters),
-- chained into the record's hash when present (see kh.dds.schema.ledger.LedgerHash). Added to the partitioned
-- table, and so to every month's partition. Records written before have none and hash as they did.
ALTER TABLE audit.lookup_record ADD COLUMN detail text;
