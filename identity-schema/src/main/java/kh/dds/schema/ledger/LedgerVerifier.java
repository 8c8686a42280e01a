package kh.dds.schema.ledger;

import java.security.PublicKey;
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
 * A range that does not start at a lane's first entry is anchored by a valid checkpoint at the sequence just before
 * it when there is one; otherwise its first predecessor hash is taken as given (and the report says so).
 */
public final class LedgerVerifier {

    /** What broke, where. {@code seq} is the entry's (or, for a truncation, the checkpoint's) sequence. */
    public record Finding(int lane, long seq, String lookupId, String occurredAt, String problem) {
    }

    /**
     * @param firstBroken the earliest broken entry over every lane (by time of the call), if any
     * @param unanchored  lanes whose range began without a checkpoint to anchor it
     */
    public record Report(boolean intact, long entries, int lanes, long checkpointsVerified, List<Finding> refused,
                         Optional<Finding> firstBroken, List<Finding> broken, List<Integer> unanchored) {
    }

    private static final class Lane {
        long lastSeq = -1;
        byte[] lastHash;
        String lastLookupId;
        long entries;
        Finding broken;
        boolean unanchored;
    }

    private static final NavigableMap<Long, Checkpoint> NONE = java.util.Collections.emptyNavigableMap();

    private final Map<Integer, NavigableMap<Long, Checkpoint>> checkpoints = new HashMap<>();
    private final List<Finding> refused = new ArrayList<>();
    private final Map<Integer, Lane> lanes = new TreeMap<>();
    private final Map<Integer, Long> expectedEnds = new HashMap<>();
    private long verifiedCheckpoints;
    private long entries;

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

    public void accept(LedgerEntry entry) {
        entries++;
        Lane lane = lanes.computeIfAbsent(entry.lane(), l -> new Lane());
        lane.entries++;
        if (lane.broken != null) {
            return;
        }
        String problem = problem(entry, lane);
        if (problem != null) {
            lane.broken = finding(entry, problem);
            return;
        }
        lane.lastSeq = entry.seq();
        lane.lastHash = entry.hash();
        lane.lastLookupId = entry.record().lookupId();
    }

    private String problem(LedgerEntry entry, Lane lane) {
        NavigableMap<Long, Checkpoint> pinned = checkpoints.getOrDefault(entry.lane(), NONE);
        if (lane.lastSeq < 0) {
            if (entry.seq() == 1) {
                if (!Arrays.equals(entry.prevHash(), LedgerHash.GENESIS)) {
                    return "the lane's first entry does not start from the genesis hash";
                }
            } else {
                Checkpoint anchor = pinned.get(entry.seq() - 1);
                if (anchor == null) {
                    lane.unanchored = true;
                } else if (!anchor.headHash().equals(LedgerHash.hex(entry.prevHash()))) {
                    return "its predecessor hash is not the one checkpoint " + anchor.seq() + " signed";
                }
            }
        } else {
            if (entry.seq() != lane.lastSeq + 1) {
                return entry.seq() <= lane.lastSeq
                        ? "sequence " + entry.seq() + " after " + lane.lastSeq + ": entries reordered or inserted"
                        : "sequence " + entry.seq() + " after " + lane.lastSeq + ": entries deleted";
            }
            if (!Arrays.equals(entry.prevHash(), lane.lastHash)) {
                return "it does not chain to its predecessor (sequence " + lane.lastSeq + ", lookup " + lane.lastLookupId
                        + "): an entry was deleted, inserted or reordered between them";
            }
        }
        if (!Arrays.equals(LedgerHash.of(entry.lane(), entry.seq(), entry.record(), entry.prevHash()), entry.hash())) {
            return "its content does not give its hash: the entry was edited";
        }
        Checkpoint checkpoint = pinned.get(entry.seq());
        if (checkpoint != null && !checkpoint.headHash().equals(LedgerHash.hex(entry.hash()))) {
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
        for (Map.Entry<Integer, Lane> entry : lanes.entrySet()) {
            Lane lane = entry.getValue();
            if (lane.broken != null) {
                broken.add(lane.broken);
            } else if (complete) {
                Optional<Finding> truncated = truncation(entry.getKey(), lane.lastSeq);
                Long end = expectedEnds.get(entry.getKey());
                if (truncated.isEmpty() && end != null && end > lane.lastSeq) {
                    truncated = Optional.of(new Finding(entry.getKey(), end, null, null, "the lane ends at sequence "
                            + lane.lastSeq + " but its head is at " + end + ": entries were truncated"));
                }
                truncated.ifPresent(broken::add);
            }
            if (lane.unanchored) {
                unanchored.add(entry.getKey());
            }
        }
        if (complete) {
            for (Map.Entry<Integer, NavigableMap<Long, Checkpoint>> signed : checkpoints.entrySet()) {
                if (!lanes.containsKey(signed.getKey())) {
                    truncation(signed.getKey(), 0).ifPresent(broken::add);
                }
            }
        }
        Optional<Finding> first = broken.stream().min(Comparator.comparing(
                (Finding f) -> f.occurredAt() == null ? "" : f.occurredAt()).thenComparing(Finding::lane)
                .thenComparingLong(Finding::seq));
        return new Report(broken.isEmpty() && refused.isEmpty(), entries, lanes.size(), verifiedCheckpoints,
                List.copyOf(refused), first, List.copyOf(broken), List.copyOf(unanchored));
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

    private static Finding finding(LedgerEntry entry, String problem) {
        return new Finding(entry.lane(), entry.seq(), entry.record().lookupId(),
                entry.record().occurredAt() == null ? null : entry.record().occurredAt().toString(), problem);
    }
}
