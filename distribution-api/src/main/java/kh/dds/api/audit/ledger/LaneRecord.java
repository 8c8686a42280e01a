package kh.dds.api.audit.ledger;

import kh.dds.schema.lookup.LookupRecord;

/** A lookup record as it arrived: on its lane (Kafka partition) at its offset. */
public record LaneRecord(int lane, long offset, LookupRecord record) {
}
