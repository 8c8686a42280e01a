package kh.dds.api.call;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Lookup ids: UUID version 7 (RFC 9562), time-ordered so that the ledger's indexes append at the end, with 74
 * random bits so that ids of concurrent calls on every node never collide.
 */
public final class LookupIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LookupIds() {
    }

    public static UUID next(long epochMillis) {
        long random = RANDOM.nextLong();
        long high = (epochMillis << 16) | 0x7000L | ((random >>> 52) & 0x0FFFL);
        long low = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
