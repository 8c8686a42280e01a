package kh.dds.schema.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The registry's calendar: contract validity, ages, quotas, metering days and invoices all follow Asia/Phnom_Penh
 * (UTC+7, no daylight saving), so that the API's quota month and billing's invoice month turn at the same instant.
 */
public final class PhnomPenh {

    public static final ZoneId ZONE = ZoneId.of("Asia/Phnom_Penh");

    private PhnomPenh() {
    }

    public static LocalDate today() {
        return LocalDate.now(Clock.system(ZONE));
    }

    /** The calendar day in Phnom Penh at {@code instant}. */
    public static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZONE);
    }

    public static YearMonth month(Instant instant) {
        return YearMonth.from(instant.atZone(ZONE));
    }

    /** The first instant of {@code day} in Phnom Penh. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }

    /** The first instant of {@code month} in Phnom Penh. */
    public static Instant startOf(YearMonth month) {
        return startOf(month.atDay(1));
    }

    /** Seconds from {@code instant} to the first moment of the next calendar month in Phnom Penh, at least 1. */
    public static long secondsToNextMonth(Instant instant) {
        ZonedDateTime now = instant.atZone(ZONE);
        ZonedDateTime next = YearMonth.from(now).plusMonths(1).atDay(1).atStartOfDay(ZONE);
        return Math.max(1, Duration.between(now, next).getSeconds());
    }
}
