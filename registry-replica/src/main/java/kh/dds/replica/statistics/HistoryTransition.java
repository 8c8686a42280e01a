package kh.dds.replica.statistics;

import java.time.LocalDate;

/**
 * A change of a person's statistical profile: from {@code day} (Phnom Penh, the registry's time of the event) the
 * person is counted with {@code profile}, or nowhere when it is {@code null}.
 */
public record HistoryTransition(String kidc, LocalDate day, StatisticalProfile profile) {
}
