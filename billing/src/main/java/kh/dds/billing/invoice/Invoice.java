package kh.dds.billing.invoice;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * An issued document: an invoice, or a credit note that reverses one. Immutable once issued; for a contract and
 * month the documents sum to what the tariffs give for the metered usage.
 *
 * @param corrects the number of the invoice a credit note reverses, or that an invoice replaces
 */
public record Invoice(UUID id, String number, Kind kind, UUID contractId, String organisation, YearMonth month,
                      String corrects, String reason, String currency, long units, long total, Instant issuedAt,
                      List<Line> lines) {

    public enum Kind { INVOICE, CREDIT_NOTE }

    /** Units of a product at one tier of one tariff; negative on a credit note. */
    public record Line(int lineNo, String product, UUID tariffId, int tier, long tierFrom, Long tierUpTo, long units,
                       long unitPrice, long amount) {
    }
}
