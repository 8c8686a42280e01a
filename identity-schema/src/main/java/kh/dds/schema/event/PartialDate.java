package kh.dds.schema.event;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A date the registry may know only in part: {@code 1975}, {@code 1975-03} or {@code 1975-03-17}.
 */
public record PartialDate(int year, int month, int day) {

    public enum Precision { YEAR, MONTH, DAY }

    public PartialDate {
        if (year < 1800 || year > 2999) {
            throw new IllegalArgumentException("year out of range");
        }
        if (month < 0 || month > 12 || (month == 0 && day != 0)) {
            throw new IllegalArgumentException("month out of range");
        }
        if (day != 0) {
            try {
                LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("no such day");
            }
        }
    }

    /** Parses {@code YYYY}, {@code YYYY-MM} or {@code YYYY-MM-DD}; throws IllegalArgumentException otherwise. */
    public static PartialDate parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing date");
        }
        int length = text.length();
        if (!(length == 4 || length == 7 || length == 10)) {
            throw new IllegalArgumentException("date must be YYYY, YYYY-MM or YYYY-MM-DD");
        }
        int year = digits(text, 0, 4);
        int month = 0;
        int day = 0;
        if (length >= 7) {
            expectDash(text, 4);
            month = digits(text, 5, 7);
            if (month == 0) {
                throw new IllegalArgumentException("month out of range");
            }
        }
        if (length == 10) {
            expectDash(text, 7);
            day = digits(text, 8, 10);
            if (day == 0) {
                throw new IllegalArgumentException("no such day");
            }
        }
        return new PartialDate(year, month, day);
    }

    public static PartialDate of(LocalDate date) {
        return new PartialDate(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }

    public Precision precision() {
        return day != 0 ? Precision.DAY : month != 0 ? Precision.MONTH : Precision.YEAR;
    }

    /** The first day this date may stand for. */
    public LocalDate earliest() {
        return LocalDate.of(year, month == 0 ? 1 : month, day == 0 ? 1 : day);
    }

    /** The last day this date may stand for. */
    public LocalDate latest() {
        if (day != 0) {
            return LocalDate.of(year, month, day);
        }
        if (month != 0) {
            return YearMonth.of(year, month).atEndOfMonth();
        }
        return LocalDate.of(year, 12, 31);
    }

    @Override
    public String toString() {
        return switch (precision()) {
            case YEAR -> String.format("%04d", year);
            case MONTH -> String.format("%04d-%02d", year, month);
            case DAY -> String.format("%04d-%02d-%02d", year, month, day);
        };
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("date must be YYYY, YYYY-MM or YYYY-MM-DD");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void expectDash(String text, int at) {
        if (text.charAt(at) != '-') {
            throw new IllegalArgumentException("date must be YYYY, YYYY-MM or YYYY-MM-DD");
        }
    }
}
