package kh.dds.api.audit.ledger;

import kh.dds.schema.ledger.Lanes;
import kh.dds.schema.lookup.LookupRecord;

/**
 * A lookup record as it arrived: on its Kafka partition at its offset, to be chained in {@code lane} — its
 * partition's lane of its product ({@link Lanes#of}), unless it is a quarantined record of no known product.
 */
public record LaneRecord(int partition, long offset, LookupRecord record, int lane) {

    /** A record in its partition's lane of its product. */
    public LaneRecord(int partition, long offset, LookupRecord record) {
        this(partition, offset, record, Lanes.of(partition, record.product()));
    }
}
