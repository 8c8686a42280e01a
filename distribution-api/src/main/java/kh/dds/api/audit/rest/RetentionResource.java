package kh.dds.api.audit.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import kh.dds.api.audit.ledger.LedgerNode;
import kh.dds.api.audit.ledger.LedgerRetention;
import kh.dds.api.auth.Callers;
import kh.dds.api.contract.Scope;
import kh.dds.schema.ledger.LedgerExport;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The ledger's retention run on request (scope {@code admin}); it also runs daily. */
@Path("/v1/admin/ledger/retention")
@Authenticated
@Tag(name = "administration")
@SecurityRequirement(name = "bearer", scopes = "admin")
public class RetentionResource {

    private final Callers callers;
    private final LedgerRetention retention;
    private final LedgerNode node;

    public RetentionResource(Callers callers, LedgerRetention retention, LedgerNode node) {
        this.callers = callers;
        this.retention = retention;
        this.node = node;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Archive and remove every month whose product's retention period has passed; the removals "
            + "made (none when nothing expired)")
    public Uni<List<ObjectNode>> expire() {
        return callers.require(Scope.ADMIN.value()).chain(() -> node.requireWriter("The ledger's retention run"))
                .chain(() -> retention.expire(Instant.now()))
                .map(removals -> removals.stream().map(LedgerExport::node).toList());
    }
}
