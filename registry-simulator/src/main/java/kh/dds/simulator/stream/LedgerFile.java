package kh.dds.simulator.stream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Saves and restores a {@link RegistryLedger}: a small gzip file with the stream's counters and one entry per person
 * the stream has touched. Saved through a temporary sibling and an atomic rename, so a crash never leaves half a file.
 */
public final class LedgerFile {

    private static final int MAGIC = 0x44445353;  // "DDSS"
    private static final int VERSION = 1;

    private LedgerFile() {
    }

    public static void save(RegistryLedger ledger, String referenceDate, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (OutputStream raw = Files.newOutputStream(partial);
             GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 16), 1 << 16) {
                 {
                     def.setLevel(Deflater.BEST_SPEED);
                 }
             };
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gzip, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(ledger.seed());
            out.writeInt(ledger.persons());
            out.writeUTF(referenceDate);
            out.writeLong(ledger.nextEvent());
            out.writeInt(ledger.size());
            int[] pending = ledger.pendingRevocations();
            out.writeInt(pending.length);
            for (int index : pending) {
                out.writeInt(index);
            }
            int touched = 0;
            for (int index = 0; index < ledger.size(); index++) {
                if (ledger.touched(index)) {
                    touched++;
                }
            }
            out.writeInt(touched);
            for (int index = 0; index < ledger.size(); index++) {
                if (ledger.touched(index)) {
                    out.writeInt(index);
                    out.writeInt(ledger.rawSequence(index));
                    out.writeByte(ledger.rawFlags(index));
                    out.writeByte(ledger.rawMoves(index));
                    out.writeByte(ledger.rawDocuments(index));
                }
            }
            out.flush();
            gzip.finish();
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Restores a ledger saved for the same seed, population size and reference date; refuses any other, since its
     * sequences would not match the population's.
     */
    public static RegistryLedger load(Path file, long seed, int persons, String referenceDate) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(
                     new BufferedInputStream(new GZIPInputStream(new BufferedInputStream(raw, 1 << 16)), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a registry-simulator state file");
            }
            long savedSeed = in.readLong();
            int savedPersons = in.readInt();
            String savedReference = in.readUTF();
            if (savedSeed != seed || savedPersons != persons || !savedReference.equals(referenceDate)) {
                throw new IOException(file + " holds the state of --seed " + savedSeed + " --persons " + savedPersons
                        + " --reference-date " + savedReference + ", not of this population");
            }
            RegistryLedger ledger = new RegistryLedger(seed, persons);
            long nextEvent = in.readLong();
            int size = in.readInt();
            int[] pending = new int[in.readInt()];
            for (int i = 0; i < pending.length; i++) {
                pending[i] = in.readInt();
            }
            ledger.restoreCounters(nextEvent, size, pending);
            int touched = in.readInt();
            for (int i = 0; i < touched; i++) {
                int index = in.readInt();
                ledger.restore(index, in.readInt(), in.readByte(), in.readByte(), in.readByte());
            }
            return ledger;
        }
    }
}
