package kh.dds.console.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import kh.dds.console.ConsoleConfig;
import kh.dds.console.activity.Activity;
import kh.dds.console.http.Backend;
import kh.dds.console.http.Pages;
import kh.dds.console.session.CsrfTokens;
import kh.dds.console.session.Person;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Auditors (SPEC §4.6, §4.9): lookup records by every filter a page at a time, a person's own access log, the
 * ledger's integrity check, exports, and what people did in this console. Each search is itself recorded.
 */
@Path("/audit")
@RolesAllowed(Person.AUDITOR)
@Produces(MediaType.TEXT_HTML)
public class AuditPages {

    private final Pages pages;
    private final Person person;
    private final Backend backend;
    private final Activity activity;
    private final CsrfTokens csrf;
    private final String api;

    public AuditPages(Pages pages, Person person, Backend backend, Activity activity, ConsoleConfig config,
                         CsrfTokens csrf) {
        this.csrf = csrf;
        this.pages = pages;
        this.person = person;
        this.backend = backend;
        this.activity = activity;
        this.api = config.apiUrl();
    }

    @GET
    @Path("records")
    public TemplateInstance records(@QueryParam("subject") String subject, @QueryParam("contract") String contract,
                                    @QueryParam("client") String client, @QueryParam("operator") String operator,
                                    @QueryParam("purpose") String purpose, @QueryParam("from") String from,
                                    @QueryParam("to") String to, @QueryParam("cursor") String cursor) {
        Map<String, String> filter = filter(subject, contract, client, operator, purpose, from, to);
        activity.record(person, "audit.search", describe(filter), "shown");
        Map<String, String> query = new LinkedHashMap<>(filter);
        query.put("cursor", cursor);
        query.put("limit", "50");
        JsonNode page = backend.get(person, api, "/v1/audit/records", query);
        Map<String, String> next = new LinkedHashMap<>(filter);
        String nextCursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        next.put("cursor", nextCursor);
        return pages.page("audit/records", person).data("filter", filter)
                .data("records", backend.plain(page.path("items")))
                .data("nextQuery", nextCursor == null ? null : queryString(next))
                .data("exportQuery", queryString(filter));
    }

    /** The filtered records as CSV, streamed from the API to the auditor's browser. */
    @GET
    @Path("records.csv")
    @Produces("text/csv")
    public Response export(@QueryParam("subject") String subject, @QueryParam("contract") String contract,
                           @QueryParam("client") String client, @QueryParam("operator") String operator,
                           @QueryParam("purpose") String purpose, @QueryParam("from") String from,
                           @QueryParam("to") String to) {
        Map<String, String> filter = filter(subject, contract, client, operator, purpose, from, to);
        activity.record(person, "audit.export", describe(filter), "exported");
        InputStream csv = backend.stream(person, api, "/v1/audit/records.csv", filter, "text/csv");
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"lookup-records.csv\"").build();
    }

    /** The ledger's entries of a time range with their hashes (NDJSON), for the offline verifier. */
    @GET
    @Path("ledger.ndjson")
    @Produces("application/x-ndjson")
    public Response exportLedger(@QueryParam("from") String from, @QueryParam("to") String to) {
        Map<String, String> range = new LinkedHashMap<>();
        range.put("from", from);
        range.put("to", to);
        activity.record(person, "audit.export-ledger", describe(range), "exported");
        InputStream ndjson = backend.stream(person, api, "/v1/audit/export", range, "application/x-ndjson");
        return Response.ok(ndjson, "application/x-ndjson; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"ledger.ndjson\"").build();
    }

    @GET
    @Path("subjects")
    public TemplateInstance subject(@QueryParam("kidc") String kidc, @QueryParam("cursor") String cursor) {
        Object entries = null;
        String nextCursor = null;
        if (kidc != null && !kidc.isBlank()) {
            activity.record(person, "audit.access-log", kidc.strip(), "shown");
            Map<String, String> query = new LinkedHashMap<>();
            query.put("cursor", cursor);
            query.put("limit", "50");
            JsonNode page = backend.get(person, api, "/v1/audit/subjects/" + kidc.strip(), query);
            entries = backend.plain(page.path("items"));
            nextCursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        }
        return pages.page("audit/subject", person).data("kidc", kidc == null ? "" : kidc.strip())
                .data("entries", entries).data("nextCursor", nextCursor);
    }

    @GET
    @Path("integrity")
    public TemplateInstance integrityForm() {
        return pages.page("audit/integrity", person).data("report", null).data("from", "").data("to", "");
    }

    @POST
    @Path("integrity")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance integrity(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @RestForm String from, @RestForm String to) {
        csrf.check(csrfToken);
        Map<String, String> range = new LinkedHashMap<>();
        range.put("from", from);
        range.put("to", to);
        activity.record(person, "audit.integrity", describe(range), "requested");
        JsonNode report = backend.get(person, api, "/v1/audit/integrity", range);
        activity.record(person, "audit.integrity", describe(range), report.path("intact").asBoolean(false)
                ? "intact" : "broken");
        return pages.page("audit/integrity", person).data("report", backend.plain(report))
                .data("reportJson", report.toPrettyString()).data("from", from == null ? "" : from)
                .data("to", to == null ? "" : to);
    }

    @GET
    @Path("activity")
    public TemplateInstance activity(@QueryParam("person") String who, @QueryParam("cursor") String cursor) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("person", who);
        query.put("cursor", cursor);
        JsonNode page = backend.get(person, api, "/v1/audit/console-activity", query);
        String nextCursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        Map<String, String> next = new LinkedHashMap<>();
        next.put("person", who);
        next.put("cursor", nextCursor);
        return pages.page("audit/activity", person).data("who", who == null ? "" : who)
                .data("entries", backend.plain(page.path("items")))
                .data("nextQuery", nextCursor == null ? null : queryString(next));
    }

    private static Map<String, String> filter(String subject, String contract, String client, String operator,
                                              String purpose, String from, String to) {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("subject", blankToEmpty(subject));
        filter.put("contract", blankToEmpty(contract));
        filter.put("client", blankToEmpty(client));
        filter.put("operator", blankToEmpty(operator));
        filter.put("purpose", blankToEmpty(purpose));
        filter.put("from", blankToEmpty(from));
        filter.put("to", blankToEmpty(to));
        return filter;
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    private static String describe(Map<String, String> filter) {
        StringBuilder text = new StringBuilder();
        filter.forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                text.append(text.length() == 0 ? "" : " ").append(key).append('=').append(value);
            }
        });
        return text.toString();
    }

    private static String queryString(Map<String, String> query) {
        StringBuilder text = new StringBuilder();
        query.forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                text.append(text.length() == 0 ? "" : "&").append(key).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return text.toString();
    }
}
