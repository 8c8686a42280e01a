package kh.dds.billing.invoice;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import kh.dds.billing.auth.Viewers;
import kh.dds.billing.problem.BillingProblem;
import kh.dds.schema.time.PhnomPenh;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A contract's invoices and credit notes (SPEC §4.7): JSON, CSV and a printable HTML document. */
@Authenticated
@Path("/v1/contracts/{id}/invoices")
public class InvoiceResource {

    /** How documents are numbered ({@code INV-2026-000001}, {@code CN-2026-000001}): anything else names none. */
    private static final Pattern NUMBER = Pattern.compile("(INV|CN)-\\d{4}-\\d{6,}");

    private final Invoices invoices;
    private final InvoiceRun run;
    private final Viewers viewers;

    public InvoiceResource(Invoices invoices, InvoiceRun run, Viewers viewers) {
        this.invoices = invoices;
        this.run = run;
        this.viewers = viewers;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The contract's issued documents, oldest first, of one month (YYYY-MM) if given; "
            + "scope usage (own contract) or admin")
    public Uni<List<Invoice>> list(@PathParam("id") UUID id, @QueryParam("month") String month) {
        YearMonth wanted = month == null || month.isEmpty() ? null : month(month);
        return viewers.ofContract(id).chain(() -> invoices.ofContract(id, wanted));
    }

    @GET
    @Path("/draft")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The month's charges so far (YYYY-MM, default this month in Phnom Penh), priced as its "
            + "invoice would be if the month closed now; neither numbered nor stored; scope usage (own contract) or "
            + "admin")
    public Uni<InvoiceRun.Draft> draft(@PathParam("id") UUID id, @QueryParam("month") String month) {
        YearMonth wanted = month == null || month.isEmpty() ? PhnomPenh.month(Instant.now()) : month(month);
        return viewers.ofContract(id).chain(() -> run.draft(id, wanted));
    }

    @GET
    @Path("/{number}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One document")
    public Uni<Invoice> one(@PathParam("id") UUID id, @PathParam("number") String number) {
        return find(id, number);
    }

    @GET
    @Path("/{number}")
    @Produces("text/csv;qs=0.5")
    @Operation(summary = "One document as CSV, a row per line")
    public Uni<String> csv(@PathParam("id") UUID id, @PathParam("number") String number) {
        return find(id, number).map(InvoiceDocuments::csv);
    }

    @GET
    @Path("/{number}")
    @Produces("text/html;qs=0.5")
    @Operation(summary = "One document as a print-ready HTML page")
    public Uni<String> html(@PathParam("id") UUID id, @PathParam("number") String number) {
        return find(id, number).map(InvoiceDocuments::html);
    }

    private static final java.util.regex.Pattern MONTH = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}");

    private Uni<Invoice> find(UUID id, String number) {
        // checked after the caller's right to the contract, and before the database sees it
        return viewers.ofContract(id).chain(() -> NUMBER.matcher(number).matches() ? invoices.byNumber(id, number)
                        : Uni.createFrom().nullItem())
                .onItem().ifNull().failWith(() -> BillingProblem.notFound("the contract has no document of that "
                        + "number"));
    }

    /**
     * A month parameter exactly as {@code YYYY-MM}: nothing stripped (a {@code %0A} or a space before or after is a
     * 400, not the month), no sign or longer year.
     */
    static YearMonth month(String text) {
        if (!MONTH.matcher(text).matches()) {
            throw BillingProblem.invalidRequest("month: a month as YYYY-MM");
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw BillingProblem.invalidRequest("month: a month as YYYY-MM");
        }
    }
}
