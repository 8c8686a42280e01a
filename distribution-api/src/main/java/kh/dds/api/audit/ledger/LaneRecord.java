package kh.dds.api.audit.ledger;

import kh.dds.schema.ledger.Lanes;
import kh.dds.schema.lookup.LookupRecord;

/** A lookup record as it arrived: on its Kafka partition at its offset. It is chained in its partition's lane of its product. */
public record LaneRecord(int partition, long offset, LookupRecord record) {

    public int lane() {
        return Lanes.of(partition, record.product());
    }
}
