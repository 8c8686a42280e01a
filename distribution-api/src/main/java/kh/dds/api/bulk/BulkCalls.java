package kh.dds.api.bulk;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import kh.dds.api.auth.Caller;
import kh.dds.api.auth.Callers;
import kh.dds.api.call.InputRules;
import kh.dds.api.contract.Access;
import kh.dds.api.contract.ContractStatus;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.Problems;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.time.PhnomPenh;

/**
 * Who may use bulk verification, checked as {@code PersonalDataCalls} checks an interactive call and in the same
 * order: the client stands, the contract is in force, the token and the client hold scope {@code bulk}, the contract
 * includes {@code BULK_VERIFY}; for an upload, also the purpose, {@code X-Operator-Id} and {@code Idempotency-Key}.
 * For a bulk worker's or a request's thread, never an event loop: it waits for the contract's terms.
 */
@ApplicationScoped
public class BulkCalls {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Callers callers;

    public BulkCalls(Callers callers) {
        this.callers = callers;
    }

    /** A caller admitted to bulk verification, with its contract's terms. */
    public record Admitted(Caller caller, Access.Terms contract) {
    }

    /** The caller may read or cancel its contract's jobs; fails with the problem to answer. */
    public Admitted admit() {
        Caller caller = callers.current();
        if (caller.person() != null) {
            // people sign in at the console, which reads jobs (readableContract) and never runs them
            throw Problems.scopeMissing(Scope.BULK.value());
        }
        if (caller.contractId() == null) {
            throw Problems.contractMissing();
        }
        Access access = callers.standing(caller).await().atMost(WAIT);
        Access.Terms contract = access.contract();
        if (contract.status() == ContractStatus.SUSPENDED) {
            throw Problems.contractSuspended();
        }
        if (!contract.inForceOn(PhnomPenh.today())) {
            throw Problems.contractExpired();
        }
        String scope = Scope.BULK.value();
        if (!caller.has(scope) || !access.clientScopes().contains(scope)) {
            throw Problems.scopeMissing(scope);
        }
        if (!contract.products().contains(Product.BULK_VERIFY)) {
            throw Problems.productNotAllowed(Product.BULK_VERIFY.name());
        }
        return new Admitted(caller, contract);
    }

    /**
     * The contract whose jobs the caller may read (their list and status, never their results): a relying party's
     * client admitted as by {@link #admit()}, or a person signed in at the console (a viewer) with scope
     * {@code usage}, whose contract is the one the identity provider binds the person to. Never {@code null}: a job
     * is only ever looked up within this contract.
     */
    public UUID readableContract() {
        Caller caller = callers.current();
        if (caller.person() == null) {
            return admit().contract().id();
        }
        return callers.viewersContract(caller).await().atMost(WAIT);
    }

    /** The caller may upload under {@code purpose}. */
    public Admitted admitUpload(String purpose, String operatorId, String idempotencyKey) {
        Admitted admitted = admit();
        Access.Terms contract = admitted.contract();
        ApiProblem problem = invalid(purpose, operatorId, idempotencyKey, contract);
        if (problem != null) {
            throw problem;
        }
        return admitted;
    }

    private static ApiProblem invalid(String purpose, String operatorId, String idempotencyKey,
                                      Access.Terms contract) {
        String purposeProblem = InputRules.problemWith(purpose, InputRules.MAX_PURPOSE);
        if (purposeProblem != null) {
            return Problems.invalidRequest("purpose: " + purposeProblem);
        }
        if (purpose == null || purpose.isBlank()) {
            return Problems.unknownPurpose("a purpose is required: one of the purposes the contract allows");
        }
        if (!contract.purposes().contains(purpose)) {
            return Problems.unknownPurpose("the contract does not allow this purpose");
        }
        String operatorProblem = InputRules.problemWith(operatorId, InputRules.MAX_OPERATOR_ID);
        if (operatorProblem != null) {
            return Problems.invalidRequest("X-Operator-Id: " + operatorProblem);
        }
        if (contract.operatorIdRequired() && (operatorId == null || operatorId.isBlank())) {
            return Problems.operatorMissing();
        }
        String keyProblem = InputRules.problemWith(idempotencyKey, InputRules.MAX_HEADER);
        return keyProblem == null ? null : Problems.invalidRequest("Idempotency-Key: " + keyProblem);
    }
}
