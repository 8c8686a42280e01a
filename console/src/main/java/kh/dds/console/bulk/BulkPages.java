package kh.dds.console.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import kh.dds.console.ConsoleConfig;
import kh.dds.console.activity.Activity;
import kh.dds.console.http.Backend;
import kh.dds.console.http.Pages;
import kh.dds.console.session.Person;

/**
 * A viewer's own contract's bulk verification jobs and their progress, and how its webhook's deliveries stand, from
 * the API with the viewer's own token: the API answers for the contract the identity provider binds the viewer to,
 * whatever the console asks, so another contract's job is not found there either. Read-only: a viewer neither runs
 * nor cancels a job, nor reads its results (which are personal data answers).
 */
@Path("/bulk")
@RolesAllowed(Person.VIEWER)
@Produces(MediaType.TEXT_HTML)
public class BulkPages {

    private final Pages pages;
    private final Person person;
    private final Backend backend;
    private final Activity activity;
    private final String api;

    public BulkPages(Pages pages, Person person, Backend backend, Activity activity, ConsoleConfig config) {
        this.pages = pages;
        this.person = person;
        this.backend = backend;
        this.activity = activity;
        this.api = config.apiUrl();
    }

    @GET
    public TemplateInstance own() {
        String contract = person.contractId();
        if (contract == null || contract.isBlank()) {
            throw new Backend.Refused(403, "No contract", "your sign-in is bound to no contract: ask an administrator");
        }
        return jobs(contract);
    }

    /** The viewer's own contract by its id: any other id is not found (URL tampering). */
    @GET
    @Path("{contractId}")
    public TemplateInstance ownById(@PathParam("contractId") UUID contractId) {
        if (!contractId.toString().equals(person.contractId())) {
            activity.record(person, "bulk.list", contractId.toString(), "refused: not the viewer's contract");
            throw new NotFoundException();
        }
        return jobs(contractId.toString());
    }

    @GET
    @Path("jobs/{id}")
    public TemplateInstance job(@PathParam("id") UUID id) {
        activity.record(person, "bulk.job", id.toString(), "requested");
        JsonNode job;
        try {
            job = backend.get(person, api, "/v1/bulk-verifications/" + id, Map.of());
        } catch (Backend.Refused refused) {
            activity.record(person, "bulk.job", id.toString(), "refused " + refused.status());
            throw refused;
        }
        activity.record(person, "bulk.job", id.toString(), "shown");
        return pages.page("bulk/job", person).data("job", backend.plain(job))
                .data("percent", percent(job)).data("running", running(job));
    }

    private TemplateInstance jobs(String contract) {
        activity.record(person, "bulk.list", contract, "shown");
        JsonNode jobs = backend.get(person, api, "/v1/bulk-verifications", Map.of("limit", "100"));
        JsonNode webhook = backend.get(person, api, "/v1/subscriptions/webhook", Map.of());
        java.util.List<Map<String, Object>> rows = new java.util.ArrayList<>();
        boolean anyRunning = false;
        for (JsonNode job : jobs) {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("job", backend.plain(job));
            row.put("percent", percent(job));
            rows.add(row);
            anyRunning |= running(job);
        }
        return pages.page("bulk/jobs", person).data("contractId", contract).data("jobs", rows)
                .data("webhook", backend.plain(webhook)).data("running", anyRunning);
    }

    private static boolean running(JsonNode job) {
        String status = job.path("status").asText();
        return "RECEIVING".equals(status) || "QUEUED".equals(status) || "RUNNING".equals(status);
    }

    /** Lines looked at (done, or stopped by the quota or a cancellation) of those received, in whole per cent. */
    private static long percent(JsonNode job) {
        long received = job.path("linesReceived").asLong();
        if (received <= 0) {
            return 0;
        }
        long settled = job.path("linesDone").asLong() + job.path("quotaExceeded").asLong()
                + job.path("cancelled").asLong();
        return Math.min(100, settled * 100 / received);
    }
}
