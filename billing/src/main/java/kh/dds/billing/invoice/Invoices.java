package kh.dds.billing.invoice;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.schema.time.PhnomPenh;

/**
 * Issued invoices and credit notes: issuing one (numbered from its series without gaps) and reading them back.
 *
 * <p>Numbers are {@code INV-yyyy-nnnnnn} and {@code CN-yyyy-nnnnnn}, one series per kind and year of issue (Phnom
 * Penh). The series' counter row is incremented in the transaction that issues, which holds the row until it commits:
 * concurrent closes take numbers one after the other, and a close that rolls back gives its number back.
 */
@ApplicationScoped
public class Invoices {

    private static final String SELECT = """
            SELECT i.id, i.number, i.kind, i.contract_id, i.organisation, i.month, c.number AS corrects, i.reason,
                   i.currency, i.units, i.total, i.issued_at
            FROM billing.invoice i LEFT JOIN billing.invoice c ON c.id = i.corrects
            """;

    private final Pool pool;

    public Invoices(Pool pool) {
        this.pool = pool;
    }

    /** The contract's documents, oldest first; of one month when {@code month} is given. */
    public Uni<List<Invoice>> ofContract(UUID contractId, YearMonth month) {
        Uni<RowSet<Row>> rows = month == null
                ? pool.preparedQuery(SELECT + "WHERE i.contract_id = $1 ORDER BY i.issued_at, i.number")
                        .execute(Tuple.of(contractId))
                : pool.preparedQuery(SELECT + "WHERE i.contract_id = $1 AND i.month = $2 ORDER BY i.issued_at, i.number")
                        .execute(Tuple.of(contractId, month.atDay(1)));
        return rows.chain(found -> withLines(pool, found));
    }

    /** One of the contract's documents by number; null when the contract has none of that number. */
    public Uni<Invoice> byNumber(UUID contractId, String number) {
        return pool.preparedQuery(SELECT + "WHERE i.contract_id = $1 AND i.number = $2")
                .execute(Tuple.of(contractId, number))
                .chain(found -> withLines(pool, found))
                .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The month's live invoice (issued and not credited), or null. */
    Uni<Invoice> live(SqlConnection connection, UUID contractId, YearMonth month) {
        return connection.preparedQuery(SELECT + """
                        WHERE i.contract_id = $1 AND i.month = $2 AND i.kind = 'INVOICE' AND NOT EXISTS (
                            SELECT 1 FROM billing.invoice n WHERE n.kind = 'CREDIT_NOTE' AND n.corrects = i.id)""")
                .execute(Tuple.of(contractId, month.atDay(1)))
                .chain(found -> withLines(connection, found))
                .map(list -> {
                    if (list.size() > 1) {
                        throw new IllegalStateException(contractId + " has " + list.size() + " live invoices for "
                                + month);
                    }
                    return list.isEmpty() ? null : list.get(0);
                });
    }

    /** Issues a document in {@code connection}'s transaction. */
    Uni<Invoice> issue(SqlConnection connection, Invoice.Kind kind, UUID contractId, YearMonth month, UUID corrects,
                       String reason, List<Invoice.Line> lines) {
        Instant issuedAt = Instant.now();
        String prefix = (kind == Invoice.Kind.INVOICE ? "INV-" : "CN-") + PhnomPenh.day(issuedAt).getYear();
        UUID id = UUID.randomUUID();
        long units = lines.stream().mapToLong(Invoice.Line::units).sum();
        long total = 0;
        for (Invoice.Line line : lines) {
            total = Math.addExact(total, line.amount());
        }
        long documentTotal = total;
        return connection.preparedQuery("""
                        INSERT INTO billing.document_series AS s (series, last) VALUES ($1, 1)
                        ON CONFLICT (series) DO UPDATE SET last = s.last + 1 RETURNING last""")
                .execute(Tuple.of(prefix))
                .map(rows -> prefix + "-" + String.format("%06d", rows.iterator().next().getLong("last")))
                .chain(number -> connection.preparedQuery("""
                                INSERT INTO billing.invoice (id, number, kind, contract_id, organisation, month,
                                    corrects, reason, currency, units, total, issued_at)
                                SELECT $1, $2, $3, $4, c.organisation, $5, $6, $7, 'KHR', $8, $9, $10
                                FROM api.contract c WHERE c.id = $4""")
                        .execute(Tuple.tuple(List.of(id, number, kind.name(), contractId, month.atDay(1)))
                                .addValue(corrects).addValue(reason).addValue(units).addValue(documentTotal)
                                .addValue(issuedAt.atOffset(ZoneOffset.UTC)))
                        .invoke(rows -> {
                            if (rows.rowCount() != 1) {
                                throw new IllegalStateException("no contract " + contractId + " to invoice");
                            }
                        })
                        .chain(() -> lines.isEmpty() ? Uni.createFrom().voidItem()
                                : connection.preparedQuery("""
                                        INSERT INTO billing.invoice_line (invoice_id, line_no, product, tariff_id, tier,
                                            tier_from, tier_up_to, units, unit_price, amount)
                                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
                                        .executeBatch(lines.stream().map(line -> Tuple.tuple(List.of(id,
                                                        line.lineNo(), line.product()))
                                                .addValue(line.tariffId()).addValue(line.tier())
                                                .addValue(line.tierFrom()).addValue(line.tierUpTo())
                                                .addValue(line.units()).addValue(line.unitPrice())
                                                .addValue(line.amount())).toList())
                                        .replaceWithVoid())
                        .chain(() -> connection.preparedQuery(SELECT + "WHERE i.id = $1").execute(Tuple.of(id)))
                        .chain(found -> withLines(connection, found))
                        .map(list -> list.get(0)));
    }

    private static Uni<List<Invoice>> withLines(SqlClient client, RowSet<Row> documents) {
        if (documents.size() == 0) {
            return Uni.createFrom().item(List.of());
        }
        Map<UUID, Row> heads = new LinkedHashMap<>();
        for (Row row : documents) {
            heads.put(row.getUUID("id"), row);
        }
        return client.preparedQuery("""
                        SELECT invoice_id, line_no, product, tariff_id, tier, tier_from, tier_up_to, units, unit_price,
                               amount
                        FROM billing.invoice_line WHERE invoice_id = ANY($1) ORDER BY invoice_id, line_no""")
                .execute(Tuple.of(heads.keySet().toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, List<Invoice.Line>> lines = new LinkedHashMap<>();
                    for (Row row : rows) {
                        lines.computeIfAbsent(row.getUUID("invoice_id"), k -> new ArrayList<>()).add(new Invoice.Line(
                                row.getInteger("line_no"), row.getString("product"), row.getUUID("tariff_id"),
                                row.getInteger("tier"), row.getLong("tier_from"), row.getLong("tier_up_to"),
                                row.getLong("units"), row.getLong("unit_price"), row.getLong("amount")));
                    }
                    List<Invoice> invoices = new ArrayList<>(heads.size());
                    heads.forEach((id, row) -> invoices.add(invoice(row, lines.getOrDefault(id, List.of()))));
                    return invoices;
                });
    }

    private static Invoice invoice(Row row, List<Invoice.Line> lines) {
        LocalDate month = row.getLocalDate("month");
        OffsetDateTime issuedAt = row.getOffsetDateTime("issued_at");
        return new Invoice(row.getUUID("id"), row.getString("number"), Invoice.Kind.valueOf(row.getString("kind")),
                row.getUUID("contract_id"), row.getString("organisation"), YearMonth.from(month),
                row.getString("corrects"), row.getString("reason"), row.getString("currency"), row.getLong("units"),
                row.getLong("total"), issuedAt.toInstant(), List.copyOf(lines));
    }
}
