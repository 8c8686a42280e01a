package kh.dds.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What an attempt's source address is counted by, whatever a forged X-Forwarded-For makes of it. */
class TokenAttemptsAddressTest {

    @Test
    void anIpv4AddressIsItsOwnUnitAndAnIpv6AddressIsCountedByItsSlash64() {
        assertEquals("198.18.0.7", TokenAttempts.addressUnit("198.18.0.7"));
        assertEquals("20010db800000001::/64", TokenAttempts.addressUnit("2001:db8:0:1::42"));
        assertEquals("20010db800000001::/64", TokenAttempts.addressUnit("[2001:db8:0:1:ffff::1]"));
    }

    @Test
    void aForgedAddressIsOneMalformedSenderNeverAHugeOrHostileKey() {
        assertEquals("malformed", TokenAttempts.addressUnit("1".repeat(5_000)));
        assertEquals("malformed", TokenAttempts.addressUnit("10.0.0.1\u0000"));
        assertEquals("malformed", TokenAttempts.addressUnit("a\r\nDEL x"));
        assertEquals("unknown", TokenAttempts.addressUnit(null));
    }
}
