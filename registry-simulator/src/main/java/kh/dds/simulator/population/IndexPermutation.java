package kh.dds.simulator.population;

/**
 * A seeded bijection of {@code [0, size)} onto itself that needs no memory: a four-round Feistel network over the
 * smallest even number of bits that covers {@code size}, walked again while it lands outside the range (at most
 * four times as large, so about two steps on average). Both directions are cheap, which lets the population be laid
 * out in strata by position and still be scattered by index.
 */
public final class IndexPermutation {

    private static final int ROUNDS = 4;

    private final long size;
    private final int halfBits;
    private final long halfMask;
    private final long[] keys = new long[ROUNDS];

    public IndexPermutation(long seed, long size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive");
        }
        this.size = size;
        int bits = 2;
        while ((1L << bits) < size) {
            bits += 2;
        }
        this.halfBits = bits / 2;
        this.halfMask = (1L << halfBits) - 1;
        for (int round = 0; round < ROUNDS; round++) {
            keys[round] = SeededHash.of(seed, 0x5045524dL, round);
        }
    }

    public long size() {
        return size;
    }

    /** Where {@code index} goes. */
    public long apply(long index) {
        check(index);
        long x = index;
        do {
            x = encrypt(x);
        } while (x >= size);
        return x;
    }

    /** The index that goes to {@code position}: {@code inverse(apply(i)) == i}. */
    public long inverse(long position) {
        check(position);
        long x = position;
        do {
            x = decrypt(x);
        } while (x >= size);
        return x;
    }

    private void check(long value) {
        if (value < 0 || value >= size) {
            throw new IllegalArgumentException("out of range: " + value);
        }
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int round = 0; round < ROUNDS; round++) {
            long next = left ^ round(round, right);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }

    private long decrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int round = ROUNDS - 1; round >= 0; round--) {
            long previous = right ^ round(round, left);
            right = left;
            left = previous;
        }
        return (left << halfBits) | right;
    }

    private long round(int round, long half) {
        return SeededHash.mix(half ^ keys[round]) & halfMask;
    }
}
