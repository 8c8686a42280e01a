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
        return pages.page("usage", person).data("contractId", contract.toString()).data("from", start)
                .data("to", end).data("rows", backend.plain(usage.path("usage")))
                .data("usageJson", usage.path("usage").toString())
                .data("invoices", backend.plain(invoices));
    }
}
