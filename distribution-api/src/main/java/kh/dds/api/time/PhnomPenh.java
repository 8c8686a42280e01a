package kh.dds.api.time;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** The registry's clock: contract validity, ages, quotas and invoices follow the calendar of Asia/Phnom_Penh. */
public final class PhnomPenh {

    public static final ZoneId ZONE = ZoneId.of("Asia/Phnom_Penh");

    private PhnomPenh() {
    }

    public static LocalDate today() {
        return LocalDate.now(Clock.system(ZONE));
    }

    /** The calendar day in Phnom Penh at {@code instant}. */
    public static LocalDate day(java.time.Instant instant) {
        return LocalDate.ofInstant(instant, ZONE);
    }

    public static YearMonth month(java.time.Instant instant) {
        return YearMonth.from(instant.atZone(ZONE));
    }

    /** Seconds from {@code instant} to the first moment of the next calendar month in Phnom Penh. */
    public static long secondsToNextMonth(java.time.Instant instant) {
        ZonedDateTime now = instant.atZone(ZONE);
        ZonedDateTime next = YearMonth.from(now).plusMonths(1).atDay(1).atStartOfDay(ZONE);
        return Math.max(1, java.time.Duration.between(now, next).getSeconds());
    }
}
