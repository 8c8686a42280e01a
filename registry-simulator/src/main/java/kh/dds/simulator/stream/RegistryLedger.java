package kh.dds.simulator.stream;

import java.util.Arrays;
import kh.dds.schema.event.MaritalStatus;
import kh.dds.schema.event.PersonStatus;

/**
 * What a stream has changed about each person, in compact primitive arrays indexed like the population (babies born
 * in the stream are appended). Every array is zero for a person the stream has not touched, so a fresh ledger is all
 * zeros and a saved one needs only the touched persons:
 *
 * <ul>
 *   <li>{@code sequence − 1} of the last event of the person (every person of the population starts at 1);</li>
 *   <li>a byte of flags: status (2 bits: active, deceased, retired, or an unused birth index), the marital status
 *       set by the stream (3 bits, 0 = as registered), and the number of name changes (3 bits);</li>
 *   <li>the number of address changes (a byte, wrapping from 255 to 1);</li>
 *   <li>documents: for each of the national ID and the passport, the generation of the current one (3 bits, 0 = as
 *       registered) and whether it has been revoked (1 bit).</li>
 * </ul>
 *
 * About 7 bytes a person: 120 MB for 17 million. It also keeps the number of the next event and a short queue of
 * deceased persons whose documents are still to be revoked.
 */
public final class RegistryLedger {

    public static final int ACTIVE = 0;
    public static final int DECEASED = 1;
    public static final int RETIRED = 2;
    /** A birth index that was skipped (no mother could be found): never registered, never chosen. */
    public static final int UNUSED = 3;

    public static final int NATIONAL_ID = 0;
    public static final int PASSPORT = 1;

    static final int MAX_NAME_CHANGES = 7;
    static final int MAX_DOCUMENT_GENERATION = 7;
    private static final int PENDING_REVOCATIONS = 4096;

    private final long seed;
    private final int persons;
    private int size;
    private int[] sequences;
    private byte[] flags;
    private byte[] moves;
    private byte[] documents;
    private long nextEvent;
    private final int[] pending = new int[PENDING_REVOCATIONS];
    private int pendingHead;
    private int pendingCount;

    public RegistryLedger(long seed, int persons) {
        this.seed = seed;
        this.persons = persons;
        this.size = persons;
        int capacity = persons + Math.max(1024, persons / 64);
        sequences = new int[capacity];
        flags = new byte[capacity];
        moves = new byte[capacity];
        documents = new byte[capacity];
    }

    public long seed() {
        return seed;
    }

    /** The size of the initial population. */
    public int persons() {
        return persons;
    }

    /** The population plus every birth index used so far: the next baby gets index {@code size()}. */
    public int size() {
        return size;
    }

    /** The number of the next event of the stream (0 for a fresh stream). */
    public long nextEvent() {
        return nextEvent;
    }

    void advanceEvent() {
        nextEvent++;
    }

    /** Appends a birth index with the given status (ACTIVE for a registered baby, UNUSED for a skipped one). */
    int append(int status) {
        if (size == sequences.length) {
            int capacity = sequences.length + Math.max(1024, sequences.length / 4);
            sequences = Arrays.copyOf(sequences, capacity);
            flags = Arrays.copyOf(flags, capacity);
            moves = Arrays.copyOf(moves, capacity);
            documents = Arrays.copyOf(documents, capacity);
        }
        int index = size++;
        setStatus(index, status);
        return index;
    }

    /** The sequence of the person's last event. */
    public long sequence(int index) {
        return sequences[index] + 1L;
    }

    /** Counts one more event of the person and returns its sequence. */
    long nextSequence(int index) {
        return ++sequences[index] + 1L;
    }

    public int status(int index) {
        return flags[index] & 0x3;
    }

    public boolean isActive(int index) {
        return (flags[index] & 0x3) == ACTIVE;
    }

    public PersonStatus personStatus(int index) {
        return switch (status(index)) {
            case ACTIVE -> PersonStatus.ACTIVE;
            case DECEASED -> PersonStatus.DECEASED;
            case RETIRED -> PersonStatus.RETIRED;
            default -> throw new IllegalStateException("index " + index + " was never registered");
        };
    }

    void setStatus(int index, int status) {
        flags[index] = (byte) ((flags[index] & ~0x3) | status);
    }

    /** The marital status the stream set, or {@code null} when it is still the registered one. */
    MaritalStatus maritalStatus(int index) {
        int value = (flags[index] >>> 2) & 0x7;
        return value == 0 ? null : MaritalStatus.values()[value - 1];
    }

    void setMaritalStatus(int index, MaritalStatus status) {
        flags[index] = (byte) ((flags[index] & ~(0x7 << 2)) | ((status.ordinal() + 1) << 2));
    }

    int nameChanges(int index) {
        return (flags[index] >>> 5) & 0x7;
    }

    void countNameChange(int index) {
        int next = nameChanges(index) + 1;
        flags[index] = (byte) ((flags[index] & 0x1F) | (next << 5));
    }

    int moves(int index) {
        return moves[index] & 0xFF;
    }

    void countMove(int index) {
        int next = moves(index) + 1;
        moves[index] = (byte) (next > 255 ? 1 : next);
    }

    /** The generation of the person's current document of the type (0 = the registered one). */
    int documentGeneration(int index, int type) {
        return (documents[index] >>> (type * 4)) & 0x7;
    }

    boolean documentRevoked(int index, int type) {
        return ((documents[index] >>> (type * 4 + 3)) & 0x1) != 0;
    }

    void issueDocument(int index, int type) {
        int generation = documentGeneration(index, type) + 1;
        int cleared = documents[index] & ~(0xF << (type * 4));
        documents[index] = (byte) (cleared | (generation << (type * 4)));
    }

    void revokeDocument(int index, int type) {
        documents[index] = (byte) (documents[index] | (1 << (type * 4 + 3)));
    }

    // ---------------------------------------------------------------- deceased persons awaiting revocations

    boolean hasPendingRevocation() {
        return pendingCount > 0;
    }

    int firstPendingRevocation() {
        return pending[pendingHead];
    }

    void dropFirstPendingRevocation() {
        pendingHead = (pendingHead + 1) % PENDING_REVOCATIONS;
        pendingCount--;
    }

    /** Queues a deceased person's documents for revocation; when the queue is full the oldest is forgotten. */
    void queueRevocation(int index) {
        if (pendingCount == PENDING_REVOCATIONS) {
            dropFirstPendingRevocation();
        }
        pending[(pendingHead + pendingCount) % PENDING_REVOCATIONS] = index;
        pendingCount++;
    }

    int[] pendingRevocations() {
        int[] copy = new int[pendingCount];
        for (int i = 0; i < pendingCount; i++) {
            copy[i] = pending[(pendingHead + i) % PENDING_REVOCATIONS];
        }
        return copy;
    }

    // ---------------------------------------------------------------- persistence (see LedgerFile)

    boolean touched(int index) {
        return sequences[index] != 0 || flags[index] != 0 || moves[index] != 0 || documents[index] != 0;
    }

    int rawSequence(int index) {
        return sequences[index];
    }

    byte rawFlags(int index) {
        return flags[index];
    }

    byte rawMoves(int index) {
        return moves[index];
    }

    byte rawDocuments(int index) {
        return documents[index];
    }

    void restore(int index, int rawSequence, byte rawFlags, byte rawMoves, byte rawDocuments) {
        sequences[index] = rawSequence;
        flags[index] = rawFlags;
        moves[index] = rawMoves;
        documents[index] = rawDocuments;
    }

    void restoreCounters(long nextEvent, int size, int[] pendingRevocations) {
        this.nextEvent = nextEvent;
        while (this.size < size) {
            append(ACTIVE);
        }
        pendingHead = 0;
        pendingCount = 0;
        for (int index : pendingRevocations) {
            queueRevocation(index);
        }
    }
}
