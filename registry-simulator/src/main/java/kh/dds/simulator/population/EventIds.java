package kh.dds.simulator.population;

import java.util.UUID;

/**
 * Deterministic event ids (random-looking version 4 UUIDs): the same event of the same seed always carries the same
 * id, so an event sent again after a restart is recognisably the same event.
 */
public final class EventIds {

    private static final long SALT_REGISTRATION = 0x5245474953L;
    private static final long SALT_LIFE_EVENT = 0x4c494645L;

    private EventIds() {
    }

    /** The id of the {@code PersonRegistered} event of person {@code index} of the initial population. */
    public static String registration(long seed, long index) {
        return uuid(seed, SALT_REGISTRATION, index);
    }

    /** The id of the {@code number}-th event of a stream. */
    public static String lifeEvent(long seed, long number) {
        return uuid(seed, SALT_LIFE_EVENT, number);
    }

    private static String uuid(long seed, long salt, long n) {
        long high = SeededHash.of(seed, salt, n);
        long low = SeededHash.mix(high ^ 0x6a09e667f3bcc909L);
        high = (high & ~0xF000L) | 0x4000L;                       // version 4
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;  // IETF variant
        return new UUID(high, low).toString();
    }
}
