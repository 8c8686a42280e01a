package kh.dds.schema.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The external auditor's verifier: an export of the ledger, the checkpoints the auditor kept, and the published
 * public key — no service, no database.
 *
 * <pre>
 * java -cp identity-schema.jar:… kh.dds.schema.ledger.OfflineVerifier \
 *     --entries ledger.ndjson[.gz] --checkpoints checkpoints.ndjson --public-key ledger-public.pem
 *     [--removals removals.ndjson] [--partial]
 * java … OfflineVerifier --archive ledger-2019-03-VERIFY-….ndjson.gz --removals removals.ndjson
 *     --checkpoints checkpoints.ndjson --public-key ledger-public.pem
 * </pre>
 * {@code --removals}: the removals of expired entries ({@code GET /v1/audit/removals}); a lane's gap holds only where
 * one of them, itself intact, removed exactly that run. {@code --archive}: instead of an export, proves that an archive
 * holds exactly what its removal removed.
 * After a key rotation, name each published key with its id: {@code --public-key ledger-2=ledger-2.pem
 * --public-key ledger-1=ledger-1.pem}; each checkpoint is then verified under the key of the id it names, and one
 * naming an id not given is refused. A single {@code --public-key FILE} without an id verifies every checkpoint.
 * {@code --partial}: the export does not reach the end of the lanes (a time range), so a lane ending before a
 * checkpoint is not a truncation. Exit status 0 when intact, 1 when broken (the first broken entry is named), 2 for
 * a usage error.
 */
public final class OfflineVerifier {

    private OfflineVerifier() {
    }

    public static void main(String[] args) throws IOException {
        Path entries = null;
        Path checkpoints = null;
        Path publicKey = null;
        Path removals = null;
        Path archive = null;
        Map<String, Path> publicKeys = new LinkedHashMap<>();
        boolean complete = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--entries" -> entries = Path.of(args[++i]);
                case "--checkpoints" -> checkpoints = Path.of(args[++i]);
                case "--public-key" -> {
                    String value = args[++i];
                    int split = value.indexOf('=');
                    if (split > 0) {
                        publicKeys.put(value.substring(0, split), Path.of(value.substring(split + 1)));
                    } else {
                        publicKey = Path.of(value);
                    }
                }
                case "--removals" -> removals = Path.of(args[++i]);
                case "--archive" -> archive = Path.of(args[++i]);
                case "--partial" -> complete = false;
                default -> usage("unexpected argument " + args[i]);
            }
        }
        if ((entries == null) == (archive == null) || checkpoints == null
                || (publicKey == null) == publicKeys.isEmpty() || (archive != null && removals == null)) {
            usage("--entries (or --archive with --removals), --checkpoints and either one --public-key FILE or "
                    + "--public-key ID=FILE for each key are required");
        }
        Function<String, PublicKey> keys = publicKey != null ? single(publicKey) : keys(publicKeys);
        if (archive != null) {
            List<String> problems = verifyArchive(archive, removals, checkpoints, keys);
            System.out.println(problems.isEmpty() ? "INTACT: the archive holds exactly what its removal removed"
                    : "BROKEN:\n  " + String.join("\n  ", problems));
            System.exit(problems.isEmpty() ? 0 : 1);
        }
        LedgerVerifier.Report report = verify(entries, checkpoints, removals, keys, complete);
        System.out.println(describe(report));
        System.exit(report.intact() ? 0 : 1);
    }

    private static Function<String, PublicKey> single(Path publicKeyFile) throws IOException {
        PublicKey key = CheckpointKeys.readPublic(Files.readString(publicKeyFile, StandardCharsets.US_ASCII));
        return keyId -> key;
    }

    private static Function<String, PublicKey> keys(Map<String, Path> publicKeyFiles) throws IOException {
        Map<String, PublicKey> keys = new HashMap<>();
        for (Map.Entry<String, Path> file : publicKeyFiles.entrySet()) {
            keys.put(file.getKey(), CheckpointKeys.readPublic(Files.readString(file.getValue(),
                    StandardCharsets.US_ASCII)));
        }
        return keys::get;
    }

    /**
     * Problems with {@code archive} as the archive of the removal that names it (none: it is intact); the removals
     * are first verified as a chain against the checkpoints, and a removal that does not verify vouches for nothing.
     */
    public static List<String> verifyArchive(Path archive, Path removalFile, Path checkpointFile,
                                             Function<String, PublicKey> keys) throws IOException {
        LedgerVerifier verifier = new LedgerVerifier(checkpoints(checkpointFile), keys);
        List<Removal> removals = removals(removalFile);
        removals.forEach(verifier::accept);
        LedgerVerifier.Report chain = verifier.finish(false);
        String name = archive.getFileName().toString();
        Removal removal = removals.stream().filter(r -> r.content().archive().equals(name)).findFirst().orElse(null);
        if (removal == null) {
            return List.of("no removal names an archive " + name);
        }
        if (!chain.broken().isEmpty() || !chain.refused().isEmpty()) {
            return List.of("the removals do not verify: " + describe(chain));
        }
        return LedgerArchive.verify(archive, removal, keys);
    }

    public static LedgerVerifier.Report verify(Path entries, Path checkpointFile, Path publicKeyFile, boolean complete)
            throws IOException {
        return verify(entries, checkpointFile, null, single(publicKeyFile), complete);
    }

    /** With the published keys by id ({@code keyId=FILE} arguments): the current one and those retired. */
    public static LedgerVerifier.Report verify(Path entries, Path checkpointFile, Map<String, Path> publicKeyFiles,
                                               boolean complete) throws IOException {
        return verify(entries, checkpointFile, null, keys(publicKeyFiles), complete);
    }

    /** @param removalFile the removals of expired entries, or null when the export has none */
    public static LedgerVerifier.Report verify(Path entries, Path checkpointFile, Path removalFile,
                                               Function<String, PublicKey> keys, boolean complete) throws IOException {
        LedgerVerifier verifier = new LedgerVerifier(checkpoints(checkpointFile), keys);
        if (complete) {
            verifier.fromTheStart();
        }
        if (removalFile != null) {
            removals(removalFile).forEach(verifier::accept);
        }
        try (BufferedReader reader = reader(entries)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    verifier.accept(LedgerExport.entry(line));
                }
            }
        }
        return verifier.finish(complete);
    }

    private static List<Checkpoint> checkpoints(Path file) throws IOException {
        return lines(file, LedgerExport::checkpoint);
    }

    private static List<Removal> removals(Path file) throws IOException {
        return lines(file, LedgerExport::removal);
    }

    /** Every non-blank line of an NDJSON file (gzip when it ends in .gz), parsed. */
    private static <T> List<T> lines(Path file, Function<String, T> parse) throws IOException {
        List<T> parsed = new ArrayList<>();
        try (BufferedReader reader = reader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    parsed.add(parse.apply(line));
                }
            }
        }
        return parsed;
    }

    public static String describe(LedgerVerifier.Report report) {
        StringBuilder text = new StringBuilder();
        text.append(report.intact() ? "INTACT" : "BROKEN").append(": ").append(report.entries()).append(" entries in ")
                .append(report.lanes()).append(" lanes, ").append(report.checkpointsVerified())
                .append(" checkpoints verified")
                .append(report.removals() == 0 ? "" : ", " + report.removals() + " removals of expired entries")
                .append('\n');
        report.firstBroken().ifPresent(f -> text.append("first broken: lane ").append(f.lane()).append(" seq ")
                .append(f.seq()).append(f.lookupId() == null ? "" : " lookup " + f.lookupId()).append(": ")
                .append(f.problem()).append('\n'));
        for (LedgerVerifier.Finding f : report.broken()) {
            text.append("  lane ").append(f.lane()).append(" seq ").append(f.seq()).append(": ").append(f.problem())
                    .append('\n');
        }
        for (LedgerVerifier.Finding f : report.refused()) {
            text.append("  refused: lane ").append(f.lane()).append(" seq ").append(f.seq()).append(": ")
                    .append(f.problem()).append('\n');
        }
        if (!report.unanchored().isEmpty()) {
            text.append("  lanes starting without an anchoring checkpoint: ").append(report.unanchored()).append('\n');
        }
        return text.toString().stripTrailing();
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: OfflineVerifier --entries FILE --checkpoints FILE --public-key [ID=]FILE... "
                + "[--removals FILE] [--partial]");
        System.err.println("       OfflineVerifier --archive FILE --removals FILE --checkpoints FILE "
                + "--public-key [ID=]FILE...");
        System.exit(2);
    }
}
