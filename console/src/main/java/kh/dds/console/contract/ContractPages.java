package kh.dds.console.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.console.ConsoleConfig;
import kh.dds.console.activity.Activity;
import kh.dds.console.http.Backend;
import kh.dds.console.http.Pages;
import kh.dds.console.session.CsrfTokens;
import kh.dds.console.session.Person;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The registry's contract administrators (SPEC §4.8, §4.9): contracts (create, limits and purposes, suspend and
 * resume), their clients (issue and rotate, the secret shown once; revoke) and tariffs, each through the API's admin
 * endpoints with the administrator's own token.
 */
@Path("/admin")
@RolesAllowed(Person.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class ContractPages {

    static final List<String> KINDS = List.of("BANK", "TELCO", "MINISTRY", "OTHER");
    static final List<String> PRODUCTS = List.of("VERIFY", "LOOKUP", "BULK_VERIFY", "STATISTICS", "NOTIFY");
    static final List<String> CLIENT_SCOPES = List.of("verify", "lookup", "bulk", "reports", "subscribe", "usage");

    private final Pages pages;
    private final Person person;
    private final Backend backend;
    private final Activity activity;
    private final CsrfTokens csrf;
    private final String admin;

    public ContractPages(Pages pages, Person person, Backend backend, Activity activity, ConsoleConfig config,
                         CsrfTokens csrf) {
        this.csrf = csrf;
        this.pages = pages;
        this.person = person;
        this.backend = backend;
        this.activity = activity;
        this.admin = config.apiUrl() + "/v1/admin";
    }

    @GET
    @Path("contracts")
    public TemplateInstance contracts() {
        JsonNode contracts = backend.send(person, "GET", admin + "/contracts", null);
        JsonNode tariffs = backend.send(person, "GET", admin + "/tariffs", null);
        activity.record(person, "contracts.list", null, "shown");
        return pages.page("admin/contracts", person).data("contracts", backend.plain(contracts))
                .data("tariffs", backend.plain(tariffs)).data("kinds", KINDS).data("products", PRODUCTS)
                .data("today", LocalDate.now(ZoneId.of("Asia/Phnom_Penh")).toString());
    }

    @POST
    @Path("contracts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @RestForm String organisation, @RestForm String kind, @RestForm String validFrom,
                           @RestForm List<String> products, @RestForm String purposes,
                           @RestForm Integer rateLimitPerSecond, @RestForm Long monthlyQuota,
                           @RestForm String tariffId) {
        csrf.check(csrfToken);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organisation", organisation);
        body.put("kind", kind);
        body.put("validFrom", validFrom);
        body.put("products", products == null ? List.of() : products);
        body.put("purposes", words(purposes));
        body.put("dataPolicy", Map.of("fields", List.of("familyName", "givenName", "dateOfBirth")));
        body.put("rateLimitPerSecond", rateLimitPerSecond == null ? 10 : rateLimitPerSecond);
        body.put("monthlyQuota", monthlyQuota);
        body.put("tariffId", tariffId == null || tariffId.isBlank() ? null : tariffId);
        body.put("operatorIdRequired", true);
        activity.record(person, "contract.create", organisation, "requested");
        JsonNode created;
        try {
            created = backend.send(person, "POST", admin + "/contracts", body);
        } catch (Backend.Refused refused) {
            activity.record(person, "contract.create", organisation, "refused " + refused.status());
            throw refused;
        }
        String id = created.path("id").asText();
        activity.record(person, "contract.create", id, "done");
        return seeOther("/admin/contracts/" + id);
    }

    @GET
    @Path("contracts/{id}")
    public TemplateInstance contract(@PathParam("id") UUID id) {
        JsonNode contract = backend.send(person, "GET", admin + "/contracts/" + id, null);
        JsonNode clients = backend.send(person, "GET", admin + "/contracts/" + id + "/clients", null);
        activity.record(person, "contract.view", id.toString(), "shown");
        return pages.page("admin/contract", person).data("contract", backend.plain(contract))
                .data("clients", backend.plain(clients)).data("scopes", CLIENT_SCOPES)
                .data("purposes", String.join(", ", strings(contract.path("purposes"))));
    }

    @POST
    @Path("contracts/{id}/limits")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response limits(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @PathParam("id") UUID id, @RestForm Integer rateLimitPerSecond,
                           @RestForm Long monthlyQuota, @RestForm String purposes) {
        csrf.check(csrfToken);
        Map<String, Object> patch = new LinkedHashMap<>();
        if (rateLimitPerSecond != null) {
            patch.put("rateLimitPerSecond", rateLimitPerSecond);
        }
        if (monthlyQuota != null) {
            patch.put("monthlyQuota", monthlyQuota);
        }
        if (purposes != null && !purposes.isBlank()) {
            patch.put("purposes", words(purposes));
        }
        change(id.toString(), "contract.limits", () -> backend.send(person, "PATCH", admin + "/contracts/" + id, patch));
        return seeOther("/admin/contracts/" + id);
    }

    @POST
    @Path("contracts/{id}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @PathParam("id") UUID id, @RestForm String status) {
        csrf.check(csrfToken);
        if (!"SUSPENDED".equals(status) && !"ACTIVE".equals(status)) {
            throw new Backend.Refused(400, "Unknown status", "a contract is suspended (SUSPENDED) or resumed (ACTIVE)");
        }
        String action = "SUSPENDED".equals(status) ? "contract.suspend" : "contract.resume";
        change(id.toString(), action, () -> backend.send(person, "PATCH", admin + "/contracts/" + id,
                Map.of("status", status)));
        return seeOther("/admin/contracts/" + id);
    }

    /** Issues a client: its secret is on this answer alone (the page is not stored, and not shown again). */
    @POST
    @Path("contracts/{id}/clients")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance issue(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @PathParam("id") UUID id, @RestForm List<String> scopes) {
        csrf.check(csrfToken);
        JsonNode credentials = change(id.toString(), "client.issue", () -> backend.send(person, "POST",
                admin + "/contracts/" + id + "/clients", Map.of("scopes", scopes == null ? List.of() : scopes)));
        return pages.page("admin/secret", person).data("credentials", backend.plain(credentials))
                .data("contractId", id.toString()).data("rotated", false);
    }

    @POST
    @Path("clients/{clientId}/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance rotate(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @PathParam("clientId") String clientId, @RestForm String contractId) {
        csrf.check(csrfToken);
        JsonNode credentials = change(clientId, "client.rotate", () -> backend.send(person, "POST",
                admin + "/clients/" + encode(clientId) + "/rotate", null));
        return pages.page("admin/secret", person).data("credentials", backend.plain(credentials))
                .data("contractId", contractId).data("rotated", true);
    }

    @POST
    @Path("clients/{clientId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @PathParam("clientId") String clientId, @RestForm UUID contractId) {
        csrf.check(csrfToken);
        change(clientId, "client.revoke", () -> backend.send(person, "DELETE",
                admin + "/clients/" + encode(clientId), null));
        return seeOther(contractId == null ? "/admin/contracts" : "/admin/contracts/" + contractId);
    }

    @GET
    @Path("tariffs")
    public TemplateInstance tariffs() {
        JsonNode tariffs = backend.send(person, "GET", admin + "/tariffs", null);
        activity.record(person, "tariffs.list", null, "shown");
        return pages.page("admin/tariffs", person).data("tariffs", backend.plain(tariffs));
    }

    /** A tariff of one tier per product (the API takes graduated tiers; the console's form keeps to one). */
    @POST
    @Path("tariffs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createTariff(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @RestForm String name, @RestForm Long verifyPrice, @RestForm Long lookupPrice) {
        csrf.check(csrfToken);
        Map<String, Object> products = new LinkedHashMap<>();
        if (verifyPrice != null) {
            products.put("VERIFY", List.of(tier(verifyPrice)));
        }
        if (lookupPrice != null) {
            products.put("LOOKUP", List.of(tier(lookupPrice)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("currency", "KHR");
        body.put("products", products);
        change(name, "tariff.create", () -> backend.send(person, "POST", admin + "/tariffs", body));
        return seeOther("/admin/tariffs");
    }

    private static Map<String, Object> tier(long unitPrice) {
        Map<String, Object> tier = new LinkedHashMap<>();
        tier.put("upTo", null);
        tier.put("unitPrice", unitPrice);
        return tier;
    }

    /** A change: recorded before it is made, then with its outcome. */
    private JsonNode change(String target, String action, java.util.function.Supplier<JsonNode> call) {
        activity.record(person, action, target, "requested");
        try {
            JsonNode answer = call.get();
            activity.record(person, action, target, "done");
            return answer;
        } catch (Backend.Refused refused) {
            activity.record(person, action, target, "refused " + refused.status());
            throw refused;
        }
    }

    private static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
