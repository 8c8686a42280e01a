package kh.dds.billing.invoice;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import kh.dds.billing.auth.Viewers;
import kh.dds.billing.problem.BillingProblem;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Closing a month by hand (scope {@code admin}); the scheduled run does the same, and either is safe to rerun. */
@Authenticated
@Path("/v1/admin/invoices/close")
public class CloseResource {

    private final InvoiceRun run;
    private final Viewers viewers;

    public CloseResource(InvoiceRun run, Viewers viewers) {
        this.run = run;
        this.viewers = viewers;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close a calendar month (YYYY-MM): the documents this run issued, none when all stand")
    public Uni<List<Invoice>> close(@QueryParam("month") String month) {
        if (month == null || month.isBlank()) {
            throw BillingProblem.invalidRequest("month: required, as YYYY-MM");
        }
        return viewers.admin().chain(() -> run.close(InvoiceResource.month(month)));
    }
}
