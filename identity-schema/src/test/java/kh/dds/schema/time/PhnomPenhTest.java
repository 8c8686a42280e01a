package kh.dds.schema.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** Quotas, metering days and invoices turn at midnight in Phnom Penh (UTC+7), not at midnight UTC. */
class PhnomPenhTest {

    private static final Instant LAST_MOMENT_OF_NOVEMBER = Instant.parse("2026-11-30T16:59:59.999Z");
    private static final Instant FIRST_MOMENT_OF_DECEMBER = Instant.parse("2026-11-30T17:00:00Z");

    @Test
    void theMonthTurnsAtPhnomPenhMidnight() {
        assertEquals(YearMonth.of(2026, 11), PhnomPenh.month(LAST_MOMENT_OF_NOVEMBER));
        assertEquals(YearMonth.of(2026, 12), PhnomPenh.month(FIRST_MOMENT_OF_DECEMBER));
        assertEquals(LocalDate.of(2026, 11, 30), PhnomPenh.day(LAST_MOMENT_OF_NOVEMBER));
        assertEquals(LocalDate.of(2026, 12, 1), PhnomPenh.day(FIRST_MOMENT_OF_DECEMBER));
        assertEquals(FIRST_MOMENT_OF_DECEMBER, PhnomPenh.startOf(YearMonth.of(2026, 12)));
        assertEquals(FIRST_MOMENT_OF_DECEMBER, PhnomPenh.startOf(LocalDate.of(2026, 12, 1)));
    }

    @Test
    void aQuotaWaitsUntilTheNextPhnomPenhMonth() {
        assertEquals(1, PhnomPenh.secondsToNextMonth(LAST_MOMENT_OF_NOVEMBER));
        assertEquals(31L * 24 * 3600, PhnomPenh.secondsToNextMonth(FIRST_MOMENT_OF_DECEMBER));
        // never 0: a Retry-After of 0 would invite an immediate retry
        assertEquals(1, PhnomPenh.secondsToNextMonth(FIRST_MOMENT_OF_DECEMBER.minusNanos(1)));
    }
}
