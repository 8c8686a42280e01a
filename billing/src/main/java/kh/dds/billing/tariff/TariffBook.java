package kh.dds.billing.tariff;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tariffs of a contract as the API's administrators assigned them ({@code api.contract_tariff}: a tariff in
 * effect from a day until the next assignment's day). Tariffs never change once created, and the API refuses an
 * assignment dated in a month already invoiced, so a closed month is always priced as it was.
 */
@ApplicationScoped
public class TariffBook {

    private static final TypeReference<Map<String, List<Tier>>> PRODUCTS = new TypeReference<>() {
    };

    /** The tariff in effect on each day, as a list of assignments in date order. */
    public record Calendar(List<LocalDate> from, List<Tariff> tariffs) {

        /** The tariff in effect on {@code day}; null when none was assigned yet. */
        public Tariff on(LocalDate day) {
            Tariff found = null;
            for (int i = 0; i < from.size() && !from.get(i).isAfter(day); i++) {
                found = tariffs.get(i);
            }
            return found;
        }
    }

    private final Pool pool;
    private final ObjectMapper json;

    public TariffBook(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** The assignments that bear on {@code month}: those from before its end. */
    public Uni<Calendar> calendar(UUID contractId, YearMonth month) {
        return pool.preparedQuery("""
                        SELECT a.effective_from, t.id, t.name, t.currency, t.products::text AS products
                        FROM api.contract_tariff a JOIN api.tariff t ON t.id = a.tariff_id
                        WHERE a.contract_id = $1 AND a.effective_from < $2
                        ORDER BY a.effective_from""")
                .execute(Tuple.of(contractId, month.plusMonths(1).atDay(1)))
                .map(rows -> {
                    List<LocalDate> from = new ArrayList<>();
                    List<Tariff> tariffs = new ArrayList<>();
                    for (Row row : rows) {
                        from.add(row.getLocalDate("effective_from"));
                        tariffs.add(new Tariff(row.getUUID("id"), row.getString("name"), row.getString("currency"),
                                products(row.getString("products"))));
                    }
                    return new Calendar(List.copyOf(from), List.copyOf(tariffs));
                });
    }

    private Map<String, List<Tier>> products(String text) {
        try {
            return json.readValue(text, PRODUCTS);
        } catch (IOException e) {
            throw new UncheckedIOException("a tariff's products are not the JSON the API writes", e);
        }
    }
}
