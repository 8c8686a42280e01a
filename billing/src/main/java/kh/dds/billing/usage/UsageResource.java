package kh.dds.billing.usage;

import io.smallrye.mutiny.Multi;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import kh.dds.billing.auth.Viewers;
import kh.dds.billing.problem.BillingProblem;
import kh.dds.schema.csv.CsvCell;
import kh.dds.schema.time.PhnomPenh;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A contract's metered usage by product (SPEC §4.7): per Phnom Penh day or calendar month, billable and
 * non-billable calls apart. JSON, or CSV streamed a row at a time.
 */
@Authenticated
@Path("/v1/contracts/{id}/usage")
public class UsageResource {

    /** At most ten years in one answer. */
    private static final long MAX_DAYS = 3_660;

    /** One row of usage: {@code period} is a day ({@code 2026-11-30}) or a month ({@code 2026-11}). */
    public record UsageRow(String period, String product, long billable, long nonBillable) {
    }

    /** The answer in JSON. */
    public record Usage(UUID contractId, LocalDate from, LocalDate to, String granularity, List<UsageRow> usage) {
    }

    private record Query(UUID contractId, LocalDate from, LocalDate to, boolean monthly) {
    }

    private final Pool pool;
    private final Viewers viewers;

    public UsageResource(Pool pool, Viewers viewers) {
        this.pool = pool;
        this.viewers = viewers;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Usage by product per day or month, from and to inclusive (Phnom Penh days); "
            + "scope usage (own contract) or admin")
    public Uni<Usage> usage(@PathParam("id") UUID id, @QueryParam("from") String from, @QueryParam("to") String to,
                            @QueryParam("granularity") String granularity) {
        Query query = query(id, from, to, granularity);
        return viewers.ofContract(id).chain(() -> rows(query).collect().asList())
                .map(rows -> new Usage(id, query.from, query.to, query.monthly ? "month" : "day", rows));
    }

    @GET
    @Produces("text/csv;qs=0.5")
    @Operation(summary = "The same usage as CSV: period,product,billable,non_billable")
    public Multi<String> csv(@PathParam("id") UUID id, @QueryParam("from") String from,
                                  @QueryParam("to") String to, @QueryParam("granularity") String granularity) {
        Query query = query(id, from, to, granularity);
        return viewers.ofContract(id).onItem().transformToMulti(ignored -> Multi.createBy().concatenating().streams(
                Multi.createFrom().item("period,product,billable,non_billable\n"),
                rows(query).map(row -> row.period() + "," + CsvCell.of(row.product()) + "," + row.billable() + ","
                        + row.nonBillable() + "\n")));
    }

    private Multi<UsageRow> rows(Query query) {
        String period = query.monthly ? "to_char(day, 'YYYY-MM')" : "to_char(day, 'YYYY-MM-DD')";
        return pool.preparedQuery("SELECT " + period + " AS period, product, sum(billable) AS billable, "
                        + "sum(non_billable) AS non_billable FROM billing.usage_daily "
                        + "WHERE contract_id = $1 AND day >= $2 AND day <= $3 GROUP BY 1, 2 ORDER BY 1, 2")
                .execute(Tuple.of(query.contractId, query.from, query.to))
                .onItem().transformToMulti(rows -> {
                    List<UsageRow> out = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        out.add(new UsageRow(row.getString("period"), row.getString("product"), row.getLong("billable"),
                                row.getLong("non_billable")));
                    }
                    return Multi.createFrom().iterable(out);
                });
    }

    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private static Query query(UUID id, String from, String to, String granularity) {
        LocalDate end = to == null || to.isEmpty() ? PhnomPenh.today() : date("to", to);
        LocalDate start = from == null || from.isEmpty() ? end.withDayOfMonth(1) : date("from", from);
        if (start.isAfter(end)) {
            throw BillingProblem.invalidRequest("from: must not be after to");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            throw BillingProblem.invalidRequest("from, to: at most " + MAX_DAYS + " days at a time");
        }
        String unit = granularity == null || granularity.isEmpty() ? "day" : granularity;
        if (!unit.equals("day") && !unit.equals("month")) {
            throw BillingProblem.invalidRequest("granularity: day or month");
        }
        return new Query(id, start, end, unit.equals("month"));
    }

    /** A date parameter exactly as {@code YYYY-MM-DD}: nothing stripped, no sign or longer year. */
    public static LocalDate date(String field, String text) {
        if (!DATE.matcher(text).matches()) {
            throw BillingProblem.invalidRequest(field + ": a date as YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw BillingProblem.invalidRequest(field + ": a date as YYYY-MM-DD");
        }
    }
}
