package kh.dds.schema.ledger;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import kh.dds.schema.lookup.Product;

/**
 * The removal of a product's expired month from the ledger, itself an entry of the ledger: chained in lane
 * {@link Lanes#RETENTION} and checkpointed like every lane. It names the runs of entries it removed — in each lane,
 * where the run starts and ends and the hashes it chained from and to — so that the chains still verify across the
 * gap, and only across exactly that gap; and the archive that holds them, by its SHA-256.
 *
 * @param hash {@link LedgerHash#of(long, Removal.Content, byte[])} of the content and {@code prevHash}
 */
public record Removal(long seq, Content content, byte[] prevHash, byte[] hash) {

    /**
     * What a removal says.
     *
     * @param retention     the retention period that expired the month (ISO-8601, e.g. {@code P7Y})
     * @param records       how many entries were removed (the runs' lengths add up to it)
     * @param archive       the archive file's name
     * @param archiveSha256 hex SHA-256 of the archive file's bytes
     */
    public record Content(String removalId, Instant removedAt, Product product, YearMonth month, String retention,
                          long records, List<Run> runs, String archive, String archiveSha256) {

        public Content {
            Objects.requireNonNull(removalId, "removalId");
            Objects.requireNonNull(removedAt, "removedAt");
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(month, "month");
            Objects.requireNonNull(retention, "retention");
            runs = List.copyOf(runs);
            Objects.requireNonNull(archive, "archive");
            Objects.requireNonNull(archiveSha256, "archiveSha256");
        }
    }

    /**
     * Entries {@code seqFrom} to {@code seqTo} of {@code lane}, removed: the first chained from {@code prevHash},
     * the last had {@code lastHash}.
     */
    public record Run(int lane, long seqFrom, long seqTo, byte[] prevHash, byte[] lastHash) {

        public Run {
            if (seqFrom < 1 || seqTo < seqFrom) {
                throw new IllegalArgumentException("a run from " + seqFrom + " to " + seqTo);
            }
            Objects.requireNonNull(prevHash, "prevHash");
            Objects.requireNonNull(lastHash, "lastHash");
        }

        public long length() {
            return seqTo - seqFrom + 1;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Run r && lane == r.lane && seqFrom == r.seqFrom && seqTo == r.seqTo
                    && Arrays.equals(prevHash, r.prevHash) && Arrays.equals(lastHash, r.lastHash);
        }

        @Override
        public int hashCode() {
            return Objects.hash(lane, seqFrom, seqTo, Arrays.hashCode(lastHash));
        }

        @Override
        public String toString() {
            return "Run[lane=" + lane + ", " + seqFrom + ".." + seqTo + "]";
        }
    }

    public Removal {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The removal that follows {@code prevHash} in lane {@link Lanes#RETENTION}. */
    public static Removal chain(long seq, Content content, byte[] prevHash) {
        return new Removal(seq, content, prevHash.clone(), LedgerHash.of(seq, content, prevHash));
    }

    public int lane() {
        return Lanes.RETENTION;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Removal r && seq == r.seq && content.equals(r.content)
                && Arrays.equals(prevHash, r.prevHash) && Arrays.equals(hash, r.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, content, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "Removal[seq=" + seq + ", " + content.product() + " " + content.month() + ", " + content.records()
                + " records in " + content.runs().size() + " runs]";
    }
}
