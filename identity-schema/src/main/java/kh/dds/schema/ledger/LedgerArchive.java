package kh.dds.schema.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import kh.dds.schema.time.PhnomPenh;

/**
 * The archive of a product's expired month, written before its entries are removed from the ledger: one gzip file
 * of NDJSON lines —
 * <pre>
 * {"archive":{"removalId":…,"removedAt":…,"product":…,"month":…,"retention":…,"records":…,"runs":[…]}}
 * {"checkpoint":{…}}      the signed checkpoints of the runs' lanes from just before each run to just after it
 * {"lane":…,"seq":…,…}    the entries, by lane and sequence, as the export writes them
 * </pre>
 * The removal that dropped the entries names the file and its SHA-256, so the archive is pinned by the ledger's own
 * chain; {@link #verify} proves that an archive holds exactly the entries a removal took away, chained as they were.
 */
public final class LedgerArchive {

    private LedgerArchive() {
    }

    /** The file name of a removal's archive. */
    public static String fileName(Removal.Content content) {
        return "ledger-" + content.month() + "-" + content.product() + "-" + content.removalId() + ".ndjson.gz";
    }

    /** The first line: what the archive holds (the removal's content but for the archive's own name and hash). */
    public static String header(Removal.Content content) {
        ObjectNode header = LedgerExport.node(content);
        header.remove("archive");
        header.remove("archiveSha256");
        ObjectNode line = LedgerExport.JSON.createObjectNode();
        line.set("archive", header);
        return line.toString();
    }

    public static String line(Checkpoint checkpoint) {
        ObjectNode line = LedgerExport.JSON.createObjectNode();
        line.set("checkpoint", LedgerExport.JSON.valueToTree(checkpoint));
        return line.toString();
    }

    /**
     * What is wrong with {@code archive} as the archive of {@code removal} (an intact removal, verified against the
     * ledger's chain and checkpoints): nothing, when the list is empty. Checked: the file's SHA-256 is the one the
     * removal names; its header says what the removal says; every checkpoint in it is validly signed; its entries are
     * exactly the runs' entries, each of the removal's product and month, each giving its hash, each run chaining from
     * the hash it names to the hash it names, and each agreeing with the checkpoints.
     */
    public static List<String> verify(Path archive, Removal removal, Function<String, PublicKey> keys)
            throws IOException {
        List<String> problems = new ArrayList<>();
        Removal.Content content = removal.content();
        MessageDigest sha256 = LedgerHash.sha256();
        Map<Integer, Map<Long, Checkpoint>> pinned = new HashMap<>();
        Iterator<Removal.Run> runs = content.runs().iterator();
        Removal.Run run = null;
        long nextSeq = 0;
        byte[] previous = null;
        long records = 0;
        try (InputStream file = new DigestInputStream(Files.newInputStream(archive), sha256);
             BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(file, 1 << 16),
                     StandardCharsets.UTF_8), 1 << 16)) {
            String first = reader.readLine();
            JsonNode header = first == null ? null : LedgerExport.JSON.readTree(first).path("archive");
            if (header == null || header.isMissingNode()) {
                problems.add("the archive does not start with its header");
                return problems;
            }
            ObjectNode expected = (ObjectNode) LedgerExport.JSON.readTree(header(content)).path("archive");
            if (!expected.equals(header)) {
                problems.add("its header is not what removal " + removal.seq() + " says it removed");
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = LedgerExport.JSON.readTree(line);
                if (node.has("checkpoint")) {
                    Checkpoint checkpoint = LedgerExport.JSON.treeToValue(node.path("checkpoint"), Checkpoint.class);
                    PublicKey key = keys.apply(checkpoint.keyId());
                    if (key == null || !CheckpointKeys.verify(checkpoint, key)) {
                        problems.add("checkpoint " + checkpoint.lane() + "/" + checkpoint.seq()
                                + " in the archive is not validly signed under a published key");
                    } else {
                        pinned.computeIfAbsent(checkpoint.lane(), l -> new HashMap<>()).put(checkpoint.seq(),
                                checkpoint);
                    }
                    continue;
                }
                LedgerEntry entry = LedgerExport.entry(line);
                records++;
                if (run == null || nextSeq > run.seqTo()) {
                    if (run != null && !Arrays.equals(previous, run.lastHash())) {
                        problems.add("run " + run + " does not end at the hash the removal names");
                    }
                    if (!runs.hasNext()) {
                        problems.add("lane " + entry.lane() + " seq " + entry.seq() + ": an entry beyond the removal's "
                                + "runs");
                        break;
                    }
                    run = runs.next();
                    nextSeq = run.seqFrom();
                    previous = run.prevHash();
                }
                String where = "lane " + entry.lane() + " seq " + entry.seq() + ": ";
                if (entry.lane() != run.lane() || entry.seq() != nextSeq) {
                    problems.add(where + "expected lane " + run.lane() + " seq " + nextSeq + " of run " + run);
                    break;
                }
                if (!Arrays.equals(entry.prevHash(), previous)) {
                    problems.add(where + "it does not chain to its predecessor");
                }
                if (!Arrays.equals(LedgerHash.of(entry.lane(), entry.seq(), entry.record(), entry.prevHash()),
                        entry.hash())) {
                    problems.add(where + "its content does not give its hash: the entry was edited");
                }
                if (entry.record().product() != content.product()
                        || !PhnomPenh.month(entry.record().occurredAt()).equals(content.month())) {
                    problems.add(where + "not a record of " + content.product() + " in " + content.month());
                }
                Checkpoint checkpoint = pinned.getOrDefault(entry.lane(), Map.of()).get(entry.seq());
                if (checkpoint != null && !checkpoint.headHash().equals(LedgerHash.hex(entry.hash()))) {
                    problems.add(where + "its hash is not the one checkpoint " + checkpoint.seq() + " signed");
                }
                previous = entry.hash();
                nextSeq++;
            }
            file.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (run != null && nextSeq <= run.seqTo()) {
            problems.add("run " + run + " stops at seq " + (nextSeq - 1) + ": entries are missing");
        } else if (run != null && !Arrays.equals(previous, run.lastHash())) {
            problems.add("run " + run + " does not end at the hash the removal names");
        }
        if (runs.hasNext()) {
            problems.add("run " + runs.next() + " is not in the archive");
        }
        if (records != content.records()) {
            problems.add("the archive holds " + records + " entries, the removal says " + content.records());
        }
        String digest = LedgerHash.hex(sha256.digest());
        if (!digest.equals(content.archiveSha256())) {
            problems.add(0, "its SHA-256 is " + digest + ", removal " + removal.seq() + " names "
                    + content.archiveSha256() + ": this is not the file that was archived");
        }
        return problems;
    }
}
