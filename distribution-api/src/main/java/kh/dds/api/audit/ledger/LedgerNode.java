package kh.dds.api.audit.ledger;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import kh.dds.api.problem.ApiProblem;

/**
 * Whether this node writes the ledger ({@code api.ledger.enabled}). Only such a node holds the signing key and signs
 * checkpoints or runs the retention: a serving node (the k8s {@code distribution-api} pods run with
 * {@code API_LEDGER_ENABLED=false}) refuses those requests with a {@code 409} problem naming the deployment that does
 * them, rather than failing on a key it does not have.
 */
@ApplicationScoped
public class LedgerNode {

    private final LedgerConfig config;

    public LedgerNode(LedgerConfig config) {
        this.config = config;
    }

    /** Completes when this node writes the ledger; otherwise fails with the {@code ledger-not-on-this-node} problem. */
    public Uni<Void> requireWriter(String action) {
        if (config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().failure(new ApiProblem(409, "ledger-not-on-this-node",
                "This node does not write the audit ledger",
                action + " is done by the nodes that write the ledger (api.ledger.enabled=true; in k8s the "
                        + "audit-ledger deployment), not by a serving node: send it to one of those"));
    }
}
