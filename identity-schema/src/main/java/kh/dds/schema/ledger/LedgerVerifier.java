package kh.dds.schema.ledger;

import java.security.PublicKey;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.time.PhnomPenh;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Verifies ledger entries against their hash chain and the signed checkpoints, one entry at a time (a national
 * ledger does not fit in memory): the service's integrity check and the offline verifier are this same class.
 *
 * <p>Feed each lane's entries in sequence order ({@link #accept}); lanes may interleave. Then {@link #finish}. What
 * is found, per lane, stops that lane's check at its first broken entry:
 * <ul>
 *   <li>an entry whose content does not give its hash — <b>edited</b>;</li>
 *   <li>an entry whose sequence is not its predecessor's plus one, or whose predecessor hash is not the predecessor's
 *       hash — <b>deleted, inserted or reordered</b> entries;</li>
 *   <li>an entry whose hash is not the one a valid checkpoint signed at its sequence — <b>rewritten</b> (a forger
 *       who recomputed the chain after an edit still cannot sign);</li>
 *   <li>with {@code complete}: a lane that ends before a valid checkpoint's sequence — <b>truncated</b>, or the
 *       database <b>rolled back</b> to an older state (detected against checkpoints kept outside);</li>
 *   <li>a checkpoint whose signature does not verify under the published key — <b>forged</b>; it is refused and
 *       pins nothing.</li>
 * </ul>
 * Entries removed by retention leave gaps, which hold only where an intact {@link Removal} (itself chained and
 * checkpointed in lane {@link Lanes#RETENTION}) names a run that fills the gap exactly and chains on both sides:
 * a deletion passed off as a removal needs a removal that the chain and the checkpoints do not have.
 * A range that does not start at a lane's first entry is anchored by a valid checkpoint at the sequence just before
 * it when there is one; otherwise its first predecessor hash is taken as given (and the report says so).
 */
public final class LedgerVerifier {

    /** What broke, where. {@code seq} is the entry's (or, for a truncation, the checkpoint's) sequence. */
    public record Finding(int lane, long seq, String lookupId, String occurredAt, String problem) {
    }

    /**
     * @param entries     lookup records verified
     * @param removals    removals of expired entries verified (their runs stood in for the entries they removed)
     * @param firstBroken the earliest broken entry over every lane (by time of the call), if any
     * @param unanchored  lanes whose range began without a checkpoint to anchor it
     */
    public record Report(boolean intact, long entries, long removals, int lanes, long checkpointsVerified, List<Finding> refused,
                         Optional<Finding> firstBroken, List<Finding> broken, List<Integer> unanchored) {
    }

    private static final class Lane {
        long lastSeq = -1;
        byte[] lastHash;
        String lastLabel;
        long entries;
        Finding broken;
        boolean unanchored;
    }

    private static final NavigableMap<Long, Checkpoint> NONE = java.util.Collections.emptyNavigableMap();
    private static final NavigableMap<Long, Removal.Run> NO_RUNS = java.util.Collections.emptyNavigableMap();

    private final Map<Integer, NavigableMap<Long, Checkpoint>> checkpoints = new HashMap<>();
    private final List<Finding> refused = new ArrayList<>();
    private final Map<Integer, Lane> lanes = new TreeMap<>();
    private final Map<Integer, Long> expectedEnds = new HashMap<>();
    private final Map<Integer, NavigableMap<Long, Removal.Run>> runs = new HashMap<>();
    private long verifiedCheckpoints;
    private long entries;
    private long removals;
    private boolean fromTheStart;

    /** Checkpoints verified under one key, whatever key id they name. */
    public LedgerVerifier(Iterable<Checkpoint> signed, PublicKey key) {
        this(signed, keyId -> key);
    }

    /**
     * Checkpoints verified under the key of the id each names ({@code keys} answers null for an id it does not know):
     * after a rotation, the retired keys verify the checkpoints signed before it.
     */
    public LedgerVerifier(Iterable<Checkpoint> signed, Function<String, PublicKey> keys) {
        for (Checkpoint checkpoint : signed) {
            PublicKey key = keys.apply(checkpoint.keyId());
            if (key == null) {
                refused.add(new Finding(checkpoint.lane(), checkpoint.seq(), null, checkpoint.at().toString(),
                        "checkpoint refused: signed with key id '" + checkpoint.keyId() + "', which is not published"));
                continue;
            }
            if (!CheckpointKeys.verify(checkpoint, key)) {
                refused.add(new Finding(checkpoint.lane(), checkpoint.seq(), null, checkpoint.at().toString(),
                        "checkpoint refused: its signature does not verify under the published key"));
                continue;
            }
            Checkpoint other = checkpoints.computeIfAbsent(checkpoint.lane(), l -> new TreeMap<>())
                    .putIfAbsent(checkpoint.seq(), checkpoint);
            if (other != null && !other.headHash().equals(checkpoint.headHash())) {
                refused.add(new Finding(checkpoint.lane(), checkpoint.seq(), null, checkpoint.at().toString(),
                        "two validly signed checkpoints disagree on this sequence's hash"));
            }
            verifiedCheckpoints++;
        }
    }

    /**
     * The entries fed start at every lane's beginning (a full check or export): a lane whose first entries are
     * missing, and not removed, is broken — not merely unanchored.
     */
    public LedgerVerifier fromTheStart() {
        fromTheStart = true;
        return this;
    }

    /**
     * A removal of expired entries (lane {@link Lanes#RETENTION}), checked as an entry of its own lane; when it is
     * intact, the runs it names may stand in for the entries they removed. Accept every removal before the entries
     * of the lanes it touched (the service and the export do: removals are few).
     */
    public void accept(Removal removal) {
        Removal.Content content = removal.content();
        if (!link(removal.lane(), removal.seq(), removal.prevHash(), removal.hash(),
                LedgerHash.of(removal.seq(), content, removal.prevHash()), content.removalId(),
                content.removedAt().toString(), "removal " + content.removalId())) {
            return;
        }
        String wrong = unlawful(content);
        if (wrong != null) {
            refused.add(new Finding(removal.lane(), removal.seq(), content.removalId(), content.removedAt().toString(),
                    "removal refused: " + wrong));
            return;
        }
        removals++;
        for (Removal.Run run : content.runs()) {
            Removal.Run other = runs.computeIfAbsent(run.lane(), l -> new TreeMap<>()).putIfAbsent(run.seqFrom(), run);
            if (other != null) {
                refused.add(new Finding(run.lane(), run.seqFrom(), content.removalId(), content.removedAt().toString(),
                        "removal " + removal.seq() + " names a run that an earlier removal named: entries cannot "
                        + "be removed twice"));
            }
        }
    }

    /** What makes a removal one that retention could not have made, if anything. */
    private static String unlawful(Removal.Content content) {
        long removed = 0;
        for (Removal.Run run : content.runs()) {
            removed += run.length();
            if (run.lane() == Lanes.RETENTION) {
                return "it names a run of the retention lane itself";
            }
            Optional<Product> product = Lanes.product(run.lane());
            if (product.isPresent() && product.get() != content.product()) {
                return "it removes " + content.product() + " but names a run of lane " + run.lane() + ", which holds "
                        + product.get();
            }
        }
        if (removed != content.records()) {
            return "its runs hold " + removed + " entries, not the " + content.records() + " it says";
        }
        Period period;
        try {
            period = Period.parse(content.retention());
        } catch (DateTimeParseException e) {
            return "its retention period '" + content.retention() + "' is not an ISO-8601 period";
        }
        Instant expired = PhnomPenh.startOf(content.month().plusMonths(1).atDay(1).plus(period));
        if (expired.isAfter(content.removedAt())) {
            return content.month() + " kept for " + period + " expires at " + expired + ", after the removal at "
                    + content.removedAt();
        }
        return null;
    }

    public void accept(LedgerEntry entry) {
        entries++;
        link(entry.lane(), entry.seq(), entry.prevHash(), entry.hash(),
                LedgerHash.of(entry.lane(), entry.seq(), entry.record(), entry.prevHash()), entry.record().lookupId(),
                entry.record().occurredAt() == null ? null : entry.record().occurredAt().toString(),
                "lookup " + entry.record().lookupId());
    }

    /** Checks one link of a lane's chain; whether it held. */
    private boolean link(int laneNumber, long seq, byte[] prevHash, byte[] hash, byte[] computed, String id,
                         String at, String label) {
        Lane lane = lanes.computeIfAbsent(laneNumber, l -> new Lane());
        lane.entries++;
        if (lane.broken != null) {
            return false;
        }
        String problem = problem(laneNumber, seq, prevHash, hash, computed, lane);
        if (problem != null) {
            lane.broken = new Finding(laneNumber, seq, id, at, problem);
            return false;
        }
        lane.lastSeq = seq;
        lane.lastHash = hash;
        lane.lastLabel = label;
        return true;
    }

    private String problem(int laneNumber, long seq, byte[] prevHash, byte[] hash, byte[] computed, Lane lane) {
        NavigableMap<Long, Checkpoint> pinned = checkpoints.getOrDefault(laneNumber, NONE);
        NavigableMap<Long, Removal.Run> removed = runs.getOrDefault(laneNumber, NO_RUNS);
        if (lane.lastSeq < 0) {
            // the first entry seen: back through the runs removed just before it, to the genesis or a checkpoint
            long before = seq - 1;
            byte[] expected = prevHash;
            for (Map.Entry<Long, Removal.Run> floor = removed.floorEntry(before);
                 floor != null && floor.getValue().seqTo() == before; floor = removed.floorEntry(before)) {
                Removal.Run run = floor.getValue();
                if (!Arrays.equals(run.lastHash(), expected)) {
                    return "it does not chain to the removed run " + run.seqFrom() + ".." + run.seqTo()
                            + " before it";
                }
                expected = run.prevHash();
                before = run.seqFrom() - 1;
            }
            if (before == 0) {
                if (!Arrays.equals(expected, LedgerHash.GENESIS)) {
                    return "the lane's first entry does not start from the genesis hash";
                }
            } else if (fromTheStart) {
                return "the lane starts at sequence " + (before + 1) + ": the entries before it were deleted";
            } else {
                Checkpoint anchor = pinned.get(before);
                if (anchor == null) {
                    lane.unanchored = true;
                } else if (!anchor.headHash().equals(LedgerHash.hex(expected))) {
                    return "its predecessor hash is not the one checkpoint " + anchor.seq() + " signed";
                }
            }
        } else {
            long next = lane.lastSeq + 1;
            byte[] previous = lane.lastHash;
            for (Removal.Run run = removed.get(next); run != null && seq > next; run = removed.get(next)) {
                if (!Arrays.equals(run.prevHash(), previous)) {
                    return "the removed run " + run.seqFrom() + ".." + run.seqTo() + " before it does not chain to "
                            + "sequence " + (next - 1) + ": it does not stand for the entries that were there";
                }
                String signed = pinnedAt(pinned, run.seqTo(), run.lastHash());
                if (signed != null) {
                    return "the removed run " + run.seqFrom() + ".." + run.seqTo() + " before it " + signed;
                }
                previous = run.lastHash();
                next = run.seqTo() + 1;
            }
            if (seq != next) {
                return seq < next
                        ? "sequence " + seq + " after " + (next - 1) + ": entries reordered or inserted"
                        : "sequence " + seq + " after " + (next - 1) + ": entries deleted";
            }
            if (!Arrays.equals(prevHash, previous)) {
                return next - 1 == lane.lastSeq
                        ? "it does not chain to its predecessor (sequence " + lane.lastSeq + ", " + lane.lastLabel
                                + "): an entry was deleted, inserted or reordered between them"
                        : "it does not chain to the removed run that ends at sequence " + (next - 1);
            }
        }
        if (!Arrays.equals(computed, hash)) {
            return "its content does not give its hash: the entry was edited";
        }
        return pinnedAt(pinned, seq, hash);
    }

    /** Null when no valid checkpoint pins {@code seq}, or one pins it at {@code hash}; else the problem. */
    private static String pinnedAt(NavigableMap<Long, Checkpoint> pinned, long seq, byte[] hash) {
        Checkpoint checkpoint = pinned.get(seq);
        if (checkpoint != null && !checkpoint.headHash().equals(LedgerHash.hex(hash))) {
            return "its hash is not the one checkpoint " + checkpoint.seq() + " signed: the ledger was rewritten";
        }
        return null;
    }

    /**
     * The sequence a lane's own head record says it has reached (the ledger's lane table): with {@code complete}, a
     * lane whose entries stop short of it was truncated. Unsigned, so it only adds to what checkpoints pin.
     */
    public void expectEnd(int lane, long seq) {
        expectedEnds.put(lane, seq);
    }

    /**
     * @param complete whether the entries reach the end of every lane (a full check or export), so that a lane that
     *                 ends before a signed checkpoint is a truncation
     */
    public Report finish(boolean complete) {
        List<Finding> broken = new ArrayList<>();
        List<Integer> unanchored = new ArrayList<>();
        java.util.SortedSet<Integer> all = new java.util.TreeSet<>(lanes.keySet());
        if (complete) {
            all.addAll(checkpoints.keySet());
            all.addAll(expectedEnds.keySet());
            all.addAll(runs.keySet());
        }
        for (int number : all) {
            Lane lane = lanes.get(number);
            if (lane != null && lane.broken != null) {
                broken.add(lane.broken);
            } else if (complete) {
                end(number, lane).ifPresent(broken::add);
            }
            if (lane != null && lane.unanchored) {
                unanchored.add(number);
            }
        }
        Optional<Finding> first = broken.stream().min(Comparator.comparing(
                (Finding f) -> f.occurredAt() == null ? "" : f.occurredAt()).thenComparing(Finding::lane)
                .thenComparingLong(Finding::seq));
        return new Report(broken.isEmpty() && refused.isEmpty(), entries, removals, lanes.size(), verifiedCheckpoints,
                List.copyOf(refused), first, List.copyOf(broken), List.copyOf(unanchored));
    }

    /**
     * Where a lane really ends — its last entry, or past the runs removed after it (a lane may lose its tail, or
     * every entry, to retention) — against what its checkpoints and its head say it reached.
     */
    private Optional<Finding> end(int number, Lane lane) {
        long last = lane == null ? 0 : lane.lastSeq;
        byte[] hash = lane == null ? LedgerHash.GENESIS : lane.lastHash;
        NavigableMap<Long, Removal.Run> removed = runs.getOrDefault(number, NO_RUNS);
        NavigableMap<Long, Checkpoint> pinned = checkpoints.getOrDefault(number, NONE);
        for (Removal.Run run = removed.get(last + 1); run != null; run = removed.get(last + 1)) {
            String signed = pinnedAt(pinned, run.seqTo(), run.lastHash());
            if (!Arrays.equals(run.prevHash(), hash) || signed != null) {
                return Optional.of(new Finding(number, run.seqFrom(), null, null, "the removed run " + run.seqFrom()
                        + ".." + run.seqTo() + " " + (signed != null ? signed : "does not chain to sequence " + last
                        + ": it does not stand for the entries that were there")));
            }
            last = run.seqTo();
            hash = run.lastHash();
        }
        Optional<Finding> truncated = truncation(number, last);
        Long head = expectedEnds.get(number);
        if (truncated.isEmpty() && head != null && head > last) {
            truncated = Optional.of(new Finding(number, head, null, null, "the lane ends at sequence " + last
                    + " but its head is at " + head + ": entries were truncated"));
        }
        return truncated;
    }

    private Optional<Finding> truncation(int lane, long lastSeq) {
        NavigableMap<Long, Checkpoint> signed = checkpoints.get(lane);
        if (signed == null || signed.isEmpty() || signed.lastKey() <= lastSeq) {
            return Optional.empty();
        }
        Checkpoint beyond = signed.higherEntry(lastSeq).getValue();
        return Optional.of(new Finding(lane, beyond.seq(), null, beyond.at().toString(), "the lane ends at sequence "
                + lastSeq + " but checkpoint " + signed.lastKey() + " was signed: entries were truncated or the "
                + "ledger rolled back"));
    }
}
