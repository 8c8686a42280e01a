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
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The external auditor's verifier: an export of the ledger, the checkpoints the auditor kept, and the published
 * public key — no service, no database.
 *
 * <pre>
 * java -cp identity-schema.jar:… kh.dds.schema.ledger.OfflineVerifier \
 *     --entries ledger.ndjson[.gz] --checkpoints checkpoints.ndjson --public-key ledger-public.pem [--partial]
 * </pre>
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
        boolean complete = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--entries" -> entries = Path.of(args[++i]);
                case "--checkpoints" -> checkpoints = Path.of(args[++i]);
                case "--public-key" -> publicKey = Path.of(args[++i]);
                case "--partial" -> complete = false;
                default -> usage("unexpected argument " + args[i]);
            }
        }
        if (entries == null || checkpoints == null || publicKey == null) {
            usage("--entries, --checkpoints and --public-key are required");
        }
        LedgerVerifier.Report report = verify(entries, checkpoints, publicKey, complete);
        System.out.println(describe(report));
        System.exit(report.intact() ? 0 : 1);
    }

    public static LedgerVerifier.Report verify(Path entries, Path checkpointFile, Path publicKeyFile, boolean complete)
            throws IOException {
        PublicKey key = CheckpointKeys.readPublic(Files.readString(publicKeyFile, StandardCharsets.US_ASCII));
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
        System.err.println("usage: OfflineVerifier --entries FILE --checkpoints FILE --public-key FILE [--partial]");
        System.exit(2);
    }
}
