package kh.dds.schema.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each tampering is detected and located; forged checkpoints and signatures are refused. */
class LedgerVerifierTest {

    private static final KeyPair KEYS = CheckpointKeys.generate();
    private static final KeyPair ATTACKER = CheckpointKeys.generate();
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static LookupRecord record(int i) {
        return new LookupRecord(new UUID(i, i).toString(), T0.plusSeconds(i), "6f1c2d3e-0000-0000-0000-000000000001",
                "cl-1", "teller-" + i, "KYC_ACCOUNT_OPENING", Product.VERIFY, "1000000028", "ANSWERED", "MATCH",
                List.of(), 200, true, 1500 + i);
    }

    /** A lane of {@code n} entries. */
    private static List<LedgerEntry> lane(int lane, int n) {
        List<LedgerEntry> entries = new ArrayList<>();
        byte[] previous = LedgerHash.GENESIS;
        for (int i = 1; i <= n; i++) {
            LedgerEntry entry = LedgerEntry.chain(lane, i, record(lane * 1000 + i), previous);
            entries.add(entry);
            previous = entry.hash();
        }
        return entries;
    }

    private static Checkpoint checkpoint(LedgerEntry head, KeyPair keys) {
        return checkpoint(head, keys, "ledger-1");
    }

    private static Checkpoint checkpoint(LedgerEntry head, KeyPair keys, String keyId) {
        return CheckpointKeys.sign(new Checkpoint(head.lane(), head.seq(), LedgerHash.hex(head.hash()), head.seq(),
                head.record().occurredAt(), keyId, null), keys.getPrivate());
    }

    private static LedgerVerifier.Report verify(List<LedgerEntry> entries, List<Checkpoint> checkpoints,
                                                boolean complete) {
        LedgerVerifier verifier = new LedgerVerifier(checkpoints, KEYS.getPublic());
        entries.forEach(verifier::accept);
        return verifier.finish(complete);
    }

    private static LedgerVerifier.Finding first(LedgerVerifier.Report report) {
        assertFalse(report.intact(), "tampering went unnoticed");
        return report.firstBroken().orElseThrow();
    }

    @Test
    void anIntactLedgerVerifies() {
        List<LedgerEntry> entries = new ArrayList<>(lane(0, 10));
        entries.addAll(lane(1, 7));
        LedgerVerifier.Report report = verify(entries, List.of(checkpoint(entries.get(4), KEYS),
                checkpoint(entries.get(9), KEYS), checkpoint(entries.get(16), KEYS)), true);
        assertTrue(report.intact(), report.toString());
        assertEquals(17, report.entries());
        assertEquals(3, report.checkpointsVerified());
    }

    @Test
    void afterARotationEachCheckpointVerifiesUnderTheKeyItNames() {
        KeyPair rotated = CheckpointKeys.generate();
        List<LedgerEntry> entries = lane(0, 10);
        List<Checkpoint> checkpoints = List.of(checkpoint(entries.get(4), KEYS, "ledger-1"),
                checkpoint(entries.get(9), rotated, "ledger-2"));
        Map<String, PublicKey> published = Map.of("ledger-1", KEYS.getPublic(), "ledger-2", rotated.getPublic());

        LedgerVerifier both = new LedgerVerifier(checkpoints, published::get);
        entries.forEach(both::accept);
        LedgerVerifier.Report report = both.finish(true);
        assertTrue(report.intact(), report.toString());
        assertEquals(2, report.checkpointsVerified());

        // the retired key withheld: its checkpoint is refused, not trusted
        LedgerVerifier currentOnly = new LedgerVerifier(checkpoints, Map.of("ledger-2", rotated.getPublic())::get);
        entries.forEach(currentOnly::accept);
        report = currentOnly.finish(true);
        assertEquals(1, report.checkpointsVerified());
        assertTrue(report.refused().get(0).problem().contains("key id 'ledger-1'"), report.toString());

        // a checkpoint naming the current key id but signed with the retired key is a forgery
        LedgerVerifier forged = new LedgerVerifier(List.of(checkpoint(entries.get(9), KEYS, "ledger-2")),
                published::get);
        entries.forEach(forged::accept);
        assertEquals(0, forged.finish(true).checkpointsVerified());
    }

    @Test
    void anEditedFieldIsLocated() {
        List<LedgerEntry> entries = lane(0, 10);
        LedgerEntry original = entries.get(3);
        LookupRecord r = original.record();
        LookupRecord edited = new LookupRecord(r.lookupId(), r.occurredAt(), r.contractId(), r.clientId(),
                r.operatorId(), "MARKETING", r.product(), r.subjectKidc(), r.outcome(), r.decision(),
                r.fieldsDisclosed(), r.httpStatus(), r.billable(), r.latencyMicros());
        entries.set(3, new LedgerEntry(0, 4, edited, original.prevHash(), original.hash()));
        LedgerVerifier.Finding finding = first(verify(entries, List.of(), true));
        assertEquals(4, finding.seq());
        assertTrue(finding.problem().contains("edited"), finding.problem());
    }

    @Test
    void aDeletedRecordIsLocated() {
        List<LedgerEntry> entries = lane(0, 10);
        entries.remove(5);
        LedgerVerifier.Finding finding = first(verify(entries, List.of(), true));
        assertEquals(7, finding.seq());
        assertTrue(finding.problem().contains("deleted"), finding.problem());
    }

    @Test
    void twoReorderedRecordsAreLocated() {
        List<LedgerEntry> entries = lane(0, 10);
        LedgerEntry third = entries.get(2);
        LedgerEntry fourth = entries.get(3);
        // their places swapped, each keeping its own hashes
        entries.set(2, new LedgerEntry(0, 3, fourth.record(), fourth.prevHash(), fourth.hash()));
        entries.set(3, new LedgerEntry(0, 4, third.record(), third.prevHash(), third.hash()));
        LedgerVerifier.Finding finding = first(verify(entries, List.of(), true));
        assertEquals(3, finding.seq());
    }

    @Test
    void aForgedRecordInsertedIsLocated() {
        List<LedgerEntry> entries = lane(0, 10);
        LedgerEntry forged = LedgerEntry.chain(0, 6, record(999), entries.get(4).hash());
        List<LedgerEntry> tampered = new ArrayList<>(entries.subList(0, 5));
        tampered.add(forged);
        for (LedgerEntry later : entries.subList(5, 10)) {
            tampered.add(new LedgerEntry(0, later.seq() + 1, later.record(), later.prevHash(), later.hash()));
        }
        LedgerVerifier.Finding finding = first(verify(tampered, List.of(), true));
        assertEquals(7, finding.seq());
        assertTrue(finding.problem().contains("sequence 6, lookup " + forged.record().lookupId()), finding.problem());
    }

    @Test
    void aRewrittenChainIsCaughtByTheSignedCheckpoint() {
        List<LedgerEntry> entries = lane(0, 10);
        Checkpoint signed = checkpoint(entries.get(9), KEYS);
        // the forger edits entry 6 and recomputes every hash after it: the chain is consistent again
        List<LedgerEntry> rewritten = new ArrayList<>(entries.subList(0, 5));
        byte[] previous = entries.get(4).hash();
        for (int i = 6; i <= 10; i++) {
            LedgerEntry entry = LedgerEntry.chain(0, i, i == 6 ? record(777) : entries.get(i - 1).record(), previous);
            rewritten.add(entry);
            previous = entry.hash();
        }
        LedgerVerifier.Finding finding = first(verify(rewritten, List.of(signed), true));
        assertEquals(10, finding.seq());
        assertTrue(finding.problem().contains("rewritten"), finding.problem());
    }

    @Test
    void aTruncatedTailOrARollbackIsCaughtByALaterCheckpoint() {
        List<LedgerEntry> entries = lane(0, 10);
        Checkpoint kept = checkpoint(entries.get(9), KEYS);
        LedgerVerifier.Finding finding = first(verify(entries.subList(0, 7), List.of(kept), true));
        assertEquals(10, finding.seq());
        assertTrue(finding.problem().contains("truncated or the ledger rolled back"), finding.problem());
        assertTrue(verify(entries.subList(0, 7), List.of(kept), false).intact(), "a partial export is no truncation");
    }

    @Test
    void forgedCheckpointsAndSignaturesAreRefused() {
        List<LedgerEntry> entries = lane(0, 10);
        Checkpoint genuine = checkpoint(entries.get(9), KEYS);
        Checkpoint byAttacker = checkpoint(entries.get(4), ATTACKER);
        Checkpoint altered = new Checkpoint(0, 10, LedgerHash.hex(new byte[32]), 10, genuine.at(), "ledger-1",
                genuine.signature());
        LedgerVerifier.Report report = verify(entries, List.of(genuine, byAttacker, altered), true);
        assertFalse(report.intact());
        assertEquals(2, report.refused().size());
        assertEquals(1, report.checkpointsVerified());
        assertTrue(report.broken().isEmpty(), "the entries themselves are intact");
    }

    @Test
    void aRangeIsAnchoredByTheCheckpointBeforeIt() {
        List<LedgerEntry> entries = lane(0, 10);
        Checkpoint anchor = checkpoint(entries.get(4), KEYS);
        LedgerVerifier.Report report = verify(entries.subList(5, 10), List.of(anchor), false);
        assertTrue(report.intact());
        assertTrue(report.unanchored().isEmpty());
        assertEquals(List.of(0), verify(entries.subList(6, 10), List.of(anchor), false).unanchored());
    }

    @Test
    void theOfflineVerifierReadsAnExport(@TempDir Path dir) throws IOException {
        List<LedgerEntry> entries = lane(2, 50);
        Path export = dir.resolve("ledger.ndjson");
        Files.write(export, entries.stream().map(LedgerExport::line).toList(), StandardCharsets.UTF_8);
        Path checkpoints = dir.resolve("checkpoints.ndjson");
        Files.writeString(checkpoints, LedgerExport.line(checkpoint(entries.get(49), KEYS)) + "\n");
        Path key = dir.resolve("ledger-public.pem");
        Files.writeString(key, CheckpointKeys.publicPem(KEYS.getPublic()));
        assertTrue(OfflineVerifier.verify(export, checkpoints, key, true).intact());

        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        lines.set(20, lines.get(20).replace("\"teller-2021\"", "\"teller-9\""));
        Files.write(export, lines);
        LedgerVerifier.Report report = OfflineVerifier.verify(export, checkpoints, key, true);
        assertEquals(21, report.firstBroken().orElseThrow().seq());
        assertTrue(OfflineVerifier.describe(report).startsWith("BROKEN"));
    }

    /** A removal of {@code removed} (one run each, by lane) at {@code seq} of the retention lane. */
    private static Removal removal(long seq, byte[] prevHash, String archiveSha256, List<List<LedgerEntry>> removed) {
        List<Removal.Run> runs = new ArrayList<>();
        long records = 0;
        for (List<LedgerEntry> run : removed) {
            LedgerEntry first = run.get(0);
            LedgerEntry last = run.get(run.size() - 1);
            runs.add(new Removal.Run(first.lane(), first.seq(), last.seq(), first.prevHash(), last.hash()));
            records += run.size();
        }
        Removal.Content content = new Removal.Content(new UUID(7, seq).toString(), T0.plusSeconds(86_400L * 400),
                Product.VERIFY, java.time.YearMonth.of(2026, 12), "P1Y", records, runs, "ledger-test.ndjson.gz",
                archiveSha256);
        return Removal.chain(seq, content, prevHash);
    }

    private static Checkpoint checkpoint(Removal head) {
        return CheckpointKeys.sign(new Checkpoint(head.lane(), head.seq(), LedgerHash.hex(head.hash()), head.seq(),
                head.content().removedAt(), "ledger-1", null), KEYS.getPrivate());
    }

    private static LedgerVerifier.Report verify(List<Removal> removals, List<LedgerEntry> entries,
                                                List<Checkpoint> checkpoints) {
        LedgerVerifier verifier = new LedgerVerifier(checkpoints, KEYS.getPublic());
        removals.forEach(verifier::accept);
        entries.forEach(verifier::accept);
        return verifier.finish(true);
    }

    private static List<LedgerEntry> without(List<LedgerEntry> entries, List<LedgerEntry> removed) {
        List<LedgerEntry> kept = new ArrayList<>(entries);
        kept.removeAll(removed);
        return kept;
    }

    @Test
    void entriesRemovedByARecordedRemovalLeaveTheChainIntact() {
        List<LedgerEntry> a = lane(1001, 30);
        List<LedgerEntry> b = lane(1002, 12);
        Removal removal = removal(1, LedgerHash.GENESIS, "00", List.of(a.subList(10, 20), b));
        List<Checkpoint> signed = List.of(checkpoint(a.get(29), KEYS), checkpoint(a.get(14), KEYS),
                checkpoint(b.get(11), KEYS), checkpoint(removal));
        List<LedgerEntry> kept = without(a, a.subList(10, 20));
        LedgerVerifier.Report report = verify(List.of(removal), kept, signed);
        assertTrue(report.intact(), report.toString());
        assertEquals(20, report.entries());
        assertEquals(1, report.removals());

        Removal tail = removal(2, removal.hash(), "00", List.of(a.subList(20, 30)));
        report = verify(List.of(removal, tail), without(kept, a.subList(20, 30)),
                List.of(checkpoint(a.get(29), KEYS), checkpoint(tail)));
        assertTrue(report.intact(), "a lane's tail removed: " + report);

        LedgerVerifier.Finding finding = first(verify(List.of(), kept, signed));
        assertEquals(1001, finding.lane());
        assertEquals(21, finding.seq(), "without the removal the gap is a deletion");
    }

    @Test
    void aDeletionPassedOffAsARemovalIsLocated() {
        List<LedgerEntry> a = lane(1001, 30);
        Removal removal = removal(1, LedgerHash.GENESIS, "00", List.of(a.subList(10, 20)));
        List<Checkpoint> signed = List.of(checkpoint(a.get(29), KEYS), checkpoint(removal));
        List<LedgerEntry> deleted = without(a, a.subList(10, 21));

        // the run widened over entry 21 in the removal as it stands: the removal no longer gives its hash
        Removal widened = new Removal(1, removal(1, LedgerHash.GENESIS, "00", List.of(a.subList(10, 21))).content(),
                removal.prevHash(), removal.hash());
        LedgerVerifier.Report report = verify(List.of(widened), deleted, signed);
        assertFalse(report.intact());
        assertTrue(report.broken().stream().anyMatch(f -> f.lane() == Lanes.RETENTION && f.seq() == 1
                && f.problem().contains("edited")), report.toString());
        assertTrue(report.broken().stream().anyMatch(f -> f.lane() == 1001 && f.seq() == 22), report.toString());

        // a whole forged removal, rechained: the retention lane's checkpoint does not sign it
        Removal forged = removal(1, LedgerHash.GENESIS, "00", List.of(a.subList(10, 21)));
        report = verify(List.of(forged), deleted, signed);
        assertTrue(report.broken().stream().anyMatch(f -> f.lane() == Lanes.RETENTION
                && f.problem().contains("checkpoint")), report.toString());

        // a removal retention could not have made: before the month expired, or of another product's lane
        Removal early = Removal.chain(1, new Removal.Content(removal.content().removalId(), T0.plusSeconds(86_400L * 40),
                Product.VERIFY, removal.content().month(), "P1Y", 10, removal.content().runs(), "x", "00"),
                LedgerHash.GENESIS);
        report = verify(List.of(early), without(a, a.subList(10, 20)), List.of(checkpoint(a.get(29), KEYS),
                checkpoint(early)));
        assertTrue(report.refused().stream().anyMatch(f -> f.problem().contains("expires at")), report.toString());
        assertTrue(report.broken().stream().anyMatch(f -> f.lane() == 1001 && f.seq() == 21), report.toString());
        Removal otherProduct = Removal.chain(1, new Removal.Content(removal.content().removalId(),
                removal.content().removedAt(), Product.LOOKUP, removal.content().month(), "P1Y", 10,
                removal.content().runs(), "x", "00"), LedgerHash.GENESIS);
        report = verify(List.of(otherProduct), without(a, a.subList(10, 20)), List.of(checkpoint(otherProduct)));
        assertTrue(report.refused().stream().anyMatch(f -> f.problem().contains("which holds VERIFY")),
                report.toString());

        // a run that does not stand for the entries that were there
        Removal elsewhere = removal(1, LedgerHash.GENESIS, "00", List.of(lane(1001, 30).subList(10, 20).stream()
                .map(e -> LedgerEntry.chain(e.lane(), e.seq(), record(e.seq() == 11 ? 99 : (int) e.seq()), e.prevHash()))
                .toList()));
        report = verify(List.of(elsewhere), without(a, a.subList(10, 20)), List.of(checkpoint(a.get(29), KEYS)));
        assertEquals(21, first(report).seq(), report.toString());
    }

    @Test
    void anArchiveIsExactlyWhatItsRemovalRemoved(@TempDir Path dir) throws Exception {
        List<LedgerEntry> a = lane(1001, 30);
        List<LedgerEntry> removed = a.subList(10, 20);
        Path archive = dir.resolve("ledger-test.ndjson.gz");
        Removal.Content header = removal(1, LedgerHash.GENESIS, "00", List.of(removed)).content();
        Checkpoint pin = checkpoint(a.get(14), KEYS);
        writeArchive(archive, header, List.of(pin), removed.stream().map(LedgerExport::line).toList());
        String sha = LedgerHash.hex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
        Removal removal = removal(1, LedgerHash.GENESIS, sha, List.of(removed));
        assertEquals(List.of(), LedgerArchive.verify(archive, removal, id -> KEYS.getPublic()));

        List<String> lines = new ArrayList<>(removed.stream().map(LedgerExport::line).toList());
        lines.set(3, lines.get(3).replace("\"teller-1001014\"", "\"teller-9\""));
        writeArchive(archive, header, List.of(pin), lines);
        List<String> problems = LedgerArchive.verify(archive, removal, id -> KEYS.getPublic());
        assertTrue(problems.get(0).contains("SHA-256"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("seq 14") && p.contains("edited")), problems.toString());
    }

    private static void writeArchive(Path file, Removal.Content header, List<Checkpoint> checkpoints,
                                     List<String> entries) throws IOException {
        try (var out = new java.io.PrintWriter(new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            out.println(LedgerArchive.header(header));
            checkpoints.forEach(c -> out.println(LedgerArchive.line(c)));
            entries.forEach(out::println);
        }
    }
}
