package kh.dds.api.audit.ledger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** A month expires when its retention period has passed since its end, in Phnom Penh. */
class LedgerRetentionTest {

    @Test
    void aMonthExpiresAtTheEndOfItsPeriodAfterTheMonthsEndInPhnomPenh() {
        YearMonth march = YearMonth.of(2005, 3);
        // the end of March 2006 in Phnom Penh (UTC+7) is 2006-03-31T17:00:00Z
        assertFalse(LedgerRetention.expired(march, Period.ofYears(1), Instant.parse("2006-03-31T16:59:59Z")));
        assertTrue(LedgerRetention.expired(march, Period.ofYears(1), Instant.parse("2006-03-31T17:00:00Z")));
        assertFalse(LedgerRetention.expired(YearMonth.of(2006, 1), Period.ofMonths(1),
                Instant.parse("2006-02-28T16:59:59Z")));
        assertTrue(LedgerRetention.expired(YearMonth.of(2006, 1), Period.ofMonths(1),
                Instant.parse("2006-02-28T17:00:00Z")), "January plus a month: the end of February");
    }
}
