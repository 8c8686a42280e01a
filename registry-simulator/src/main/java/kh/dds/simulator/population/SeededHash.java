package kh.dds.simulator.population;

/**
 * Stateless 64-bit hashing of (seed, salt, index): every attribute of every person is drawn from its own hash, so a
 * person can be generated alone, in any order, and always the same.
 */
public final class SeededHash {

    private SeededHash() {
    }

    /** The SplitMix64 finaliser: a bijective avalanche of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long of(long seed, long salt, long index) {
        return mix(mix(seed + salt * 0x9E3779B97F4A7C15L) ^ (index * 0xD1B54A32D192ED03L + salt));
    }

    public static long of(long seed, long salt, long index, long generation) {
        return mix(of(seed, salt, index) + generation * 0x9E3779B97F4A7C15L);
    }

    /** A uniform double in [0, 1) from the top 53 bits. */
    public static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** A uniform int in [0, bound) from the top 31 bits (bound &gt; 0). */
    public static int below(long hash, int bound) {
        return (int) (((hash >>> 33) * bound) >>> 31);
    }
}
