package kh.dds.api.notification;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import kh.dds.api.auth.Caller;
import kh.dds.api.auth.Callers;
import kh.dds.api.contract.Access;
import kh.dds.api.contract.ContractStatus;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.Problems;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.time.PhnomPenh;

/**
 * Who may manage subscriptions and read notifications: a relying party's client that still stands, with the scope
 * {@code subscribe}, under a contract in force that includes the product {@code NOTIFY} — checked in that order, as
 * {@code PersonalDataCalls} checks a personal-data call, before any body is read. Everything a contract does here
 * is scoped to its own contract id, taken from the verified token and never from the request (BOLA).
 */
@ApplicationScoped
public class NotifyCallers {

    /** A caller admitted to the notification endpoints. */
    public record Subscriber(Caller caller, Access.Terms contract) {
    }

    private final Callers callers;

    public NotifyCallers(Callers callers) {
        this.callers = callers;
    }

    public Uni<Subscriber> admit() {
        Caller caller;
        try {
            caller = callers.current();
        } catch (RuntimeException problem) {
            return Uni.createFrom().failure(problem);
        }
        if (caller.person() != null) {
            // people sign in at the console, which reads a webhook's state (WebhookResource) and subscribes nobody
            return Uni.createFrom().failure(Problems.scopeMissing(Scope.SUBSCRIBE.value()));
        }
        if (caller.contractId() == null) {
            return Uni.createFrom().failure(Problems.contractMissing());
        }
        return callers.standing(caller).map(access -> {
            Access.Terms contract = access.contract();
            if (contract.status() == ContractStatus.SUSPENDED) {
                throw Problems.contractSuspended();
            }
            if (!contract.inForceOn(PhnomPenh.today())) {
                throw Problems.contractExpired();
            }
            String scope = Scope.SUBSCRIBE.value();
            if (!caller.has(scope) || !access.clientScopes().contains(scope)) {
                throw Problems.scopeMissing(scope);
            }
            if (!contract.products().contains(Product.NOTIFY)) {
                throw Problems.productNotAllowed(Product.NOTIFY.name());
            }
            return new Subscriber(caller, contract);
        });
    }
}
