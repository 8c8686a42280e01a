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
 *     --entries ledger.ndjson[.gz] --checkpoints checkpoints.ndjson --public-key ledger-public.pem [--partial]
 * </pre>
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
                case "--partial" -> complete = false;
                default -> usage("unexpected argument " + args[i]);
            }
        }
        if (entries == null || checkpoints == null || (publicKey == null) == publicKeys.isEmpty()) {
            usage("--entries, --checkpoints and either one --public-key FILE or --public-key ID=FILE for each key "
                    + "are required");
        }
        LedgerVerifier.Report report = publicKey != null ? verify(entries, checkpoints, publicKey, complete)
                : verify(entries, checkpoints, publicKeys, complete);
        System.out.println(describe(report));
        System.exit(report.intact() ? 0 : 1);
    }

    public static LedgerVerifier.Report verify(Path entries, Path checkpointFile, Path publicKeyFile, boolean complete)
            throws IOException {
        PublicKey key = CheckpointKeys.readPublic(Files.readString(publicKeyFile, StandardCharsets.US_ASCII));
        return verify(entries, checkpointFile, keyId -> key, complete);
    }

    /** With the published keys by id ({@code keyId=FILE} arguments): the current one and those retired. */
    public static LedgerVerifier.Report verify(Path entries, Path checkpointFile, Map<String, Path> publicKeyFiles,
                                               boolean complete) throws IOException {
        Map<String, PublicKey> keys = new HashMap<>();
        for (Map.Entry<String, Path> file : publicKeyFiles.entrySet()) {
            keys.put(file.getKey(), CheckpointKeys.readPublic(Files.readString(file.getValue(),
                    StandardCharsets.US_ASCII)));
        }
        return verify(entries, checkpointFile, keys::get, complete);
    }

    private static LedgerVerifier.Report verify(Path entries, Path checkpointFile, Function<String, PublicKey> key,
                                                boolean complete) throws IOException {
        List<Checkpoint> checkpoints = new ArrayList<>();
        try (BufferedReader reader = reader(checkpointFile)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    checkpoints.add(LedgerExport.checkpoint(line));
                }
            }
        }
        LedgerVerifier verifier = new LedgerVerifier(checkpoints, key);
        try (BufferedReader reader = reader(entries)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    verifier.accept(LedgerExport.entry(line));
                }
            }
        }
        return verifier.finish(complete);
    }

    public static String describe(LedgerVerifier.Report report) {
        StringBuilder text = new StringBuilder();
        text.append(report.intact() ? "INTACT" : "BROKEN").append(": ").append(report.entries()).append(" entries in ")
                .append(report.lanes()).append(" lanes, ").append(report.checkpointsVerified())
                .append(" checkpoints verified\n");
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
                + "[--partial]");
        System.exit(2);
    }
}
