package kh.dds.console.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import kh.dds.console.ConsoleConfig;
import kh.dds.console.activity.Activity;
import kh.dds.console.http.Backend;
import kh.dds.console.http.Pages;
import kh.dds.console.session.Person;

/**
 * A contract's usage by day and product, as a chart and as a table, and its invoices, from billing with the person's
 * own token: a viewer's own contract ({@code /usage}), any contract for an administrator ({@code /admin/usage/{id}}).
 * A viewer who asks for another contract's page is answered as if it did not exist, by the console and by billing.
 */
@Produces(MediaType.TEXT_HTML)
@Path("/")
public class UsagePages {

    private static final ZoneId PHNOM_PENH = ZoneId.of("Asia/Phnom_Penh");

    private final Pages pages;
    private final Person person;
    private final Backend backend;
    private final Activity activity;
    private final String billing;

    public UsagePages(Pages pages, Person person, Backend backend, Activity activity, ConsoleConfig config) {
        this.pages = pages;
        this.person = person;
        this.backend = backend;
        this.activity = activity;
        this.billing = config.billingUrl();
    }

    @GET
    @Path("usage")
    @RolesAllowed(Person.VIEWER)
    public TemplateInstance own(@QueryParam("from") String from, @QueryParam("to") String to) {
        String contract = person.contractId();
        if (contract == null || contract.isBlank()) {
            throw new Backend.Refused(403, "No contract", "your sign-in is bound to no contract: ask an administrator");
        }
        return usage(UUID.fromString(contract), from, to);
    }

    /** A viewer's own contract by its id: any other id is not found (URL tampering). */
    @GET
    @Path("usage/{id}")
    @RolesAllowed(Person.VIEWER)
    public TemplateInstance ownById(@PathParam("id") UUID id, @QueryParam("from") String from,
                                    @QueryParam("to") String to) {
        if (!id.toString().equals(person.contractId())) {
            activity.record(person, "usage.view", id.toString(), "refused: not the viewer's contract");
            throw new NotFoundException();
        }
        return usage(id, from, to);
    }

    @GET
    @Path("admin/usage/{id}")
    @RolesAllowed(Person.ADMIN)
    public TemplateInstance anyContract(@PathParam("id") UUID id, @QueryParam("from") String from,
                                        @QueryParam("to") String to) {
        return usage(id, from, to);
    }

    /** One invoice of the viewer's own contract, printable (the page's print style leaves the menu out). */
    @GET
    @Path("usage/invoices/{number}")
    @RolesAllowed(Person.VIEWER)
    public TemplateInstance ownInvoice(@PathParam("number") String number) {
        return invoice(ownContract(), number);
    }

    @GET
    @Path("usage/invoices/{number}.csv")
    @RolesAllowed(Person.VIEWER)
    @Produces("text/csv")
    public jakarta.ws.rs.core.Response ownInvoiceCsv(@PathParam("number") String number) {
        return invoiceCsv(ownContract(), number);
    }

    @GET
    @Path("admin/usage/{id}/invoices/{number}")
    @RolesAllowed(Person.ADMIN)
    public TemplateInstance anyInvoice(@PathParam("id") UUID id, @PathParam("number") String number) {
        return invoice(id, number);
    }

    @GET
    @Path("admin/usage/{id}/invoices/{number}.csv")
    @RolesAllowed(Person.ADMIN)
    @Produces("text/csv")
    public jakarta.ws.rs.core.Response anyInvoiceCsv(@PathParam("id") UUID id, @PathParam("number") String number) {
        return invoiceCsv(id, number);
    }

    private UUID ownContract() {
        String contract = person.contractId();
        if (contract == null || contract.isBlank()) {
            throw new Backend.Refused(403, "No contract", "your sign-in is bound to no contract: ask an administrator");
        }
        return UUID.fromString(contract);
    }

    private TemplateInstance invoice(UUID contract, String number) {
        String path = "/v1/contracts/" + contract + "/invoices/" + encode(number);
        activity.record(person, "invoice.view", contract + " " + number, "shown");
        JsonNode invoice = backend.get(person, billing, path, Map.of());
        return pages.page("invoice", person).data("invoice", backend.plain(invoice))
                .data("csvLink", (person.isAdmin() && !contract.toString().equals(person.contractId())
                        ? "/admin/usage/" + contract : "/usage") + "/invoices/" + encode(number) + ".csv");
    }

    private jakarta.ws.rs.core.Response invoiceCsv(UUID contract, String number) {
        activity.record(person, "invoice.csv", contract + " " + number, "exported");
        java.io.InputStream csv = backend.stream(person, billing,
                "/v1/contracts/" + contract + "/invoices/" + encode(number), Map.of(), "text/csv");
        return jakarta.ws.rs.core.Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"invoice.csv\"").build();
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private TemplateInstance usage(UUID contract, String from, String to) {
        LocalDate today = LocalDate.now(PHNOM_PENH);
        String start = from == null || from.isBlank() ? today.minusDays(29).toString() : from.strip();
        String end = to == null || to.isBlank() ? today.toString() : to.strip();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("from", start);
        query.put("to", end);
        query.put("granularity", "day");
        activity.record(person, "usage.view", contract + " " + start + ".." + end, "shown");
        JsonNode usage = backend.get(person, billing, "/v1/contracts/" + contract + "/usage", query);
        JsonNode invoices = backend.get(person, billing, "/v1/contracts/" + contract + "/invoices", Map.of());
        String invoiceBase = person.isViewer() && contract.toString().equals(person.contractId())
                ? "/usage/invoices/" : "/admin/usage/" + contract + "/invoices/";
        return pages.page("usage", person).data("contractId", contract.toString()).data("from", start)
                .data("invoiceBase", invoiceBase)
                .data("to", end).data("rows", backend.plain(usage.path("usage")))
                .data("usageJson", usage.path("usage").toString())
                .data("invoices", backend.plain(invoices));
    }
}
