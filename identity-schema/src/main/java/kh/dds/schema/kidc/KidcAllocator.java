package kh.dds.schema.kidc;

/**
 * Issues KIdCs deterministically: the n-th person of a seeded population always gets the same code, and no two
 * indices ever share one. Random-looking codes come from a seeded bijection of the index space, so uniqueness holds
 * by construction, without remembering the codes already issued (17 million of them would not fit comfortably).
 *
 * <p>For each leading digit the space is 10^7 blocks of digits 2–8; in every block at least nine of the ten values of
 * digit 9 give a check digit other than 10, so each block offers nine codes. Index i maps to slot
 * {@code (a·i + b) mod (9·10^7)} with {@code a} coprime to the modulus, which is a bijection.
 */
public final class KidcAllocator {

    /** How many codes one leading digit offers through this allocator. */
    public static final long CAPACITY = 90_000_000L;

    private static final long BLOCKS = 10_000_000L;

    private final long multiplier;
    private final long offset;

    public KidcAllocator(long seed) {
        long mixed = mix(seed);
        long candidate = Math.floorMod(mixed, CAPACITY / 2) * 2 + 1;
        // coprime to 9·10^7 = 2^7·3^2·5^7 (odd, not a multiple of 3 or 5), and large enough to scatter neighbours
        while (candidate % 3 == 0 || candidate % 5 == 0 || candidate < 1_000_003L) {
            candidate = (candidate + 2_000_002L) % CAPACITY;
        }
        this.multiplier = candidate;
        this.offset = Math.floorMod(mix(mixed), CAPACITY);
    }

    /** The code of the person at {@code index} (0 ≤ index &lt; {@link #CAPACITY}) of the given kind. */
    public Kidc kidcAt(long index, KidcKind kind) {
        if (index < 0 || index >= CAPACITY) {
            throw new IllegalArgumentException("index out of range: " + index);
        }
        // multiplier and index are both below 9·10^7, so the product fits in a long
        long slot = (multiplier * index + offset) % CAPACITY;
        long block = slot / 9;
        int rank = (int) (slot % 9);
        StringBuilder prefix = new StringBuilder(9);
        prefix.append(kind.leadingDigit());
        String blockDigits = Long.toString(block + BLOCKS).substring(1);
        prefix.append(blockDigits);
        prefix.append('0');
        int seen = 0;
        for (int lastDigit = 0; lastDigit <= 9; lastDigit++) {
            prefix.setCharAt(8, (char) ('0' + lastDigit));
            Kidc kidc = Kidc.fromPrefix(prefix);
            if (kidc != null) {
                if (seen == rank) {
                    return kidc;
                }
                seen++;
            }
        }
        throw new IllegalStateException("block with fewer than nine issuable codes: " + blockDigits);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
