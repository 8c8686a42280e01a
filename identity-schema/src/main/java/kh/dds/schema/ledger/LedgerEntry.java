package kh.dds.schema.ledger;

import java.util.Arrays;
import java.util.Objects;
import kh.dds.schema.lookup.LookupRecord;

/**
 * A lookup record as the audit ledger keeps it: in its lane (the Kafka partition it arrived on) at its place
 * ({@code seq}, from 1, without gaps), chained to its predecessor.
 *
 * @param prevHash the hash of the lane's previous entry ({@link LedgerHash#GENESIS} for the first)
 * @param hash     {@link LedgerHash#of}{@code (lane, seq, record, prevHash)}
 */
public record LedgerEntry(int lane, long seq, LookupRecord record, byte[] prevHash, byte[] hash) {

    public LedgerEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The entry that follows {@code previous} (or starts the lane) for {@code record}. */
    public static LedgerEntry chain(int lane, long seq, LookupRecord record, byte[] prevHash) {
        return new LedgerEntry(lane, seq, record, prevHash.clone(), LedgerHash.of(lane, seq, record, prevHash));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LedgerEntry e && lane == e.lane && seq == e.seq && record.equals(e.record)
                && Arrays.equals(prevHash, e.prevHash) && Arrays.equals(hash, e.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lane, seq, record, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "LedgerEntry[lane=" + lane + ", seq=" + seq + ", lookupId=" + record.lookupId() + ", hash="
                + LedgerHash.hex(hash) + "]";
    }
}
