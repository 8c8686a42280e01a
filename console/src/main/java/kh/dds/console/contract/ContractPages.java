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
import kh.dds.console.http.FormText;
import kh.dds.console.http.Pages;
import kh.dds.console.session.CsrfTokens;
import kh.dds.console.session.Person;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The registry's contract administrators (SPEC §4.8, §4.9): contracts (create; limits; terms: validity, products,
 * purposes and data policy; suspend and resume), their clients (issue and rotate, the secret shown once; revoke) and
 * tariffs, each through the API's admin endpoints with the administrator's own token.
 */
@Path("/admin")
@RolesAllowed(Person.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class ContractPages {

    static final List<String> KINDS = List.of("BANK", "TELCO", "MINISTRY", "OTHER");
    static final List<String> PRODUCTS = List.of("VERIFY", "LOOKUP", "BULK_VERIFY", "STATISTICS", "NOTIFY");
    static final List<String> CLIENT_SCOPES = List.of("verify", "lookup", "bulk", "reports", "subscribe", "usage");
    /** The fields a data policy may list (SPEC §4.2; the API's {@code DataPolicyField}). */
    static final List<String> POLICY_FIELDS = List.of("familyName", "givenName", "sex", "dateOfBirth",
            "placeOfBirth", "nationality", "citizenship", "maritalStatus", "address", "documents", "parents",
            "children", "status", "dateOfDeath");
    /** The fields of the terms form, in the order a refusal's detail is matched against them. */
    private static final List<String> TERMS_FIELDS = List.of("validTo", "products", "purposes", "dataPolicy");
    private static final int MAX_PURPOSES_TEXT = 2_000;
    private static final int MAX_ORGANISATION = 300;
    private static final int MAX_TARIFF_NAME = 200;

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
        refuseUnless("organisation", organisation, MAX_ORGANISATION);
        refuseUnless("purposes", purposes, MAX_PURPOSES_TEXT);
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
        activity.record(person, "contract.view", id.toString(), "shown");
        return contractPage(id, null, Map.of());
    }

    /**
     * The contract's page; after a refused change of its terms, with what the administrator entered and each
     * field's error beside it.
     */
    private TemplateInstance contractPage(UUID id, Map<String, Object> entered, Map<String, String> errors) {
        JsonNode contract = backend.send(person, "GET", admin + "/contracts/" + id, null);
        JsonNode clients = backend.send(person, "GET", admin + "/contracts/" + id + "/clients", null);
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("validTo", contract.path("validTo").asText(""));
        terms.put("products", strings(contract.path("products")));
        terms.put("purposes", String.join(", ", strings(contract.path("purposes"))));
        terms.put("dataPolicy", strings(contract.path("dataPolicy").path("fields")));
        if (entered != null) {
            terms.putAll(entered);
        }
        return pages.page("admin/contract", person).data("contract", backend.plain(contract))
                .data("clients", backend.plain(clients)).data("scopes", CLIENT_SCOPES)
                .data("products", PRODUCTS).data("policyFields", POLICY_FIELDS).data("terms", terms)
                .data("errors", errors);
    }

    /**
     * A contract's terms: the last day it is valid, its products, purposes and data policy (the attributes it may
     * retrieve). Checked here first, then by the API; a refusal is shown beside the field it is about.
     */
    @POST
    @Path("contracts/{id}/terms")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response terms(@RestForm(CsrfTokens.PARAMETER) String csrfToken, @PathParam("id") UUID id,
                          @RestForm String validTo, @RestForm List<String> products, @RestForm String purposes,
                          @RestForm List<String> dataPolicy) {
        csrf.check(csrfToken);
        Map<String, Object> entered = new LinkedHashMap<>();
        entered.put("validTo", validTo == null ? "" : validTo);
        entered.put("products", products == null ? List.of() : products);
        entered.put("purposes", purposes == null ? "" : purposes);
        entered.put("dataPolicy", dataPolicy == null ? List.of() : dataPolicy);
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, Object> patch = new LinkedHashMap<>();
        String problem = FormText.problemWith(validTo, 10);
        if (problem != null) {
            errors.put("validTo", problem);
        } else if (validTo != null && !validTo.isBlank()) {
            try {
                patch.put("validTo", LocalDate.parse(validTo.strip()).toString());
            } catch (java.time.format.DateTimeParseException e) {
                errors.put("validTo", "a day, as 2027-12-31");
            }
        }
        List<String> chosenProducts = chosen(products, PRODUCTS, "products", errors);
        if (chosenProducts != null) {
            if (chosenProducts.isEmpty()) {
                errors.put("products", "at least one product");
            }
            patch.put("products", chosenProducts);
        }
        problem = FormText.problemWith(purposes, MAX_PURPOSES_TEXT);
        if (problem != null) {
            errors.put("purposes", problem);
        } else {
            List<String> words = words(purposes);
            if (words.isEmpty()) {
                errors.put("purposes", "at least one purpose");
            }
            patch.put("purposes", words);
        }
        List<String> fields = chosen(dataPolicy, POLICY_FIELDS, "dataPolicy", errors);
        if (fields != null) {
            patch.put("dataPolicy", Map.of("fields", fields));
        }
        if (!errors.isEmpty()) {
            activity.record(person, "contract.terms", id.toString(), "refused: " + String.join(", ", errors.keySet()));
            return refusedTerms(id, entered, errors);
        }
        try {
            change(id.toString(), "contract.terms",
                    () -> backend.send(person, "PATCH", admin + "/contracts/" + id, patch));
        } catch (Backend.Refused refused) {
            if (refused.status() != 400) {
                throw refused;
            }
            String detail = refused.getMessage() == null ? refused.title() : refused.getMessage();
            String field = TERMS_FIELDS.stream().filter(detail::startsWith).findFirst().orElse("terms");
            return refusedTerms(id, entered, Map.of(field, detail));
        }
        return seeOther("/admin/contracts/" + id);
    }

    private Response refusedTerms(UUID id, Map<String, Object> entered, Map<String, String> errors) {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(contractPage(id, entered, errors).render()).build();
    }

    /** The values ticked, each one of {@code known}; {@code null} (and an error) when one is not. */
    private static List<String> chosen(List<String> values, List<String> known, String field,
                                       Map<String, String> errors) {
        List<String> chosen = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            if (!known.contains(value)) {
                errors.put(field, "not one of " + String.join(", ", known));
                return null;
            }
            if (!chosen.contains(value)) {
                chosen.add(value);
            }
        }
        return chosen;
    }

    @POST
    @Path("contracts/{id}/limits")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response limits(@RestForm(CsrfTokens.PARAMETER) String csrfToken,
            @PathParam("id") UUID id, @RestForm Integer rateLimitPerSecond,
                           @RestForm Long monthlyQuota) {
        csrf.check(csrfToken);
        Map<String, Object> patch = new LinkedHashMap<>();
        if (rateLimitPerSecond != null) {
            patch.put("rateLimitPerSecond", rateLimitPerSecond);
        }
        if (monthlyQuota != null) {
            patch.put("monthlyQuota", monthlyQuota);
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
        refuseUnless("name", name, MAX_TARIFF_NAME);
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

    /** A text field the console does not send on (control characters, too long): refused 400 with its name. */
    private static void refuseUnless(String field, String value, int maxLength) {
        String problem = FormText.problemWith(value, maxLength);
        if (problem != null) {
            throw new Backend.Refused(400, "Invalid " + field, field + ": " + problem);
        }
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
