package kh.dds.billing.reconcile;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import kh.dds.billing.auth.Viewers;
import kh.dds.schema.time.PhnomPenh;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Authenticated
@Path("/v1/admin/reconciliation")
public class ReconciliationResource {

    private final Reconciliation reconciliation;
    private final Viewers viewers;

    public ReconciliationResource(Reconciliation reconciliation, Viewers viewers) {
        this.reconciliation = reconciliation;
        this.viewers = viewers;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Per contract, the audited, metered and API counts of billable calls of a Phnom Penh day "
            + "(default today); scope admin")
    public Uni<Reconciliation.Report> report(@QueryParam("date") String date) {
        LocalDate day = date == null || date.isEmpty() ? PhnomPenh.today()
                : kh.dds.billing.usage.UsageResource.date("date", date);
        return viewers.admin().chain(() -> reconciliation.of(day));
    }
}
