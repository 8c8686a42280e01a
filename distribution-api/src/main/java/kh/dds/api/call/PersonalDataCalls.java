package kh.dds.api.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import kh.dds.api.auth.Caller;
import kh.dds.api.auth.Callers;
import kh.dds.api.audit.AuditTrail;
import kh.dds.api.contract.Access;
import kh.dds.api.contract.ContractStatus;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.problem.ProblemMapper;
import kh.dds.api.problem.Problems;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * The rules every personal-data call follows (SPEC §4, §4.6, §4.7), in one place — and every call of a product that
 * names no person (statistics, {@link kh.dds.schema.lookup.Product#hasSubject()}): such a call has no KIdC to check,
 * needs no purpose (one it declares must be the contract's) nor {@code X-Operator-Id}, and its lookup record carries
 * the request's {@linkplain CallRequest#detail() detail} instead of a subject:
 * <ol>
 *   <li>the caller's client still stands (not revoked) and its contract is in force (not suspended, not expired);</li>
 *   <li>the token holds the product's scope and the contract includes the product;</li>
 *   <li>the body is well-formed, the purpose is one the contract allows, {@code X-Operator-Id} is given unless the
 *       contract waives it, the KIdC is well-formed;</li>
 *   <li>{@code Idempotency-Key}: a repeat gets the first answer;</li>
 *   <li>the rate limit and the monthly quota admit the call;</li>
 *   <li>the work runs;</li>
 *   <li><b>the lookup record is made durable, and only then is the answer sent</b>. Every call whose contract is known
 *       leaves exactly one record — answered, refused or failed. When the record cannot be made durable the call
 *       fails closed with {@code 503} and nothing else is sent.</li>
 * </ol>
 * A call whose contract is not known (no valid token, a token under no contract) is refused before any of this and
 * leaves no lookup record: there is no contract to hold it against.
 */
@ApplicationScoped
public class PersonalDataCalls {

    private static final Logger LOG = Logger.getLogger(PersonalDataCalls.class);

    /** Outcomes a lookup record keeps. */
    public static final String ANSWERED = "ANSWERED";
    public static final String REFUSED = "REFUSED";
    public static final String FAILED = "FAILED";
    public static final String REPLAYED = "REPLAYED";

    private final Callers callers;
    private final UsageLimits limits;
    private final IdempotencyStore idempotency;
    private final AuditTrail audit;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    /** Counters by their tags, so that a call does not look its meter up by name each time. */
    private final java.util.concurrent.ConcurrentHashMap<String, io.micrometer.core.instrument.Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public PersonalDataCalls(Callers callers, UsageLimits limits, IdempotencyStore idempotency, AuditTrail audit,
                             ObjectMapper mapper, MeterRegistry registry) {
        this.callers = callers;
        this.limits = limits;
        this.idempotency = idempotency;
        this.audit = audit;
        this.mapper = mapper;
        this.registry = registry;
    }

    /** One progress record of a call: what it has reserved, to give back if it ends unbilled. */
    private static final class Progress {
        Access.Terms contract;
        boolean quotaReserved;
        boolean keyClaimed;
        boolean replayed;
    }

    public Uni<Response> handle(CallRequest request, Function<CallContext, Uni<Answer>> work) {
        long started = System.nanoTime();
        // microseconds: what PostgreSQL keeps, so that the ledger hashes exactly the time it stores
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String lookupId = LookupIds.next(receivedAt.toEpochMilli()).toString();
        Caller caller;
        try {
            caller = callers.current();
        } catch (ApiProblem problem) {
            return Uni.createFrom().item(ProblemMapper.toResponse(problem, request.path()));
        }
        if (caller.contractId() == null) {
            return Uni.createFrom().item(ProblemMapper.toResponse(Problems.contractMissing(), request.path()));
        }
        Progress progress = new Progress();
        Uni<Answer> answer = callers.standing(caller)
                .chain(access -> admit(access, caller, request, receivedAt, lookupId, progress, work))
                .onFailure().recoverWithItem(failure -> problemAnswer(ProblemMapper.failure(failure), request));
        return answer.chain(result -> finish(result, caller, request, receivedAt, lookupId, started, progress));
    }

    private Uni<Answer> admit(Access access, Caller caller, CallRequest request, Instant receivedAt, String lookupId,
                              Progress progress, Function<CallContext, Uni<Answer>> work) {
        Access.Terms contract = access.contract();
        progress.contract = contract;
        if (contract.status() == ContractStatus.SUSPENDED) {
            throw Problems.contractSuspended();
        }
        if (!contract.inForceOn(PhnomPenh.today())) {
            throw Problems.contractExpired();
        }
        if (!caller.has(request.scope().value()) || !access.clientScopes().contains(request.scope().value())) {
            throw Problems.scopeMissing(request.scope().value());
        }
        if (!contract.products().contains(request.product())) {
            throw Problems.productNotAllowed(request.product().name());
        }
        ApiProblem invalid = invalid(request, contract);
        if (invalid != null) {
            // a refused call costs a durable record like any other: it counts against the contract's rate
            return limits.countRefused(contract, receivedAt).chain(() -> Uni.createFrom().failure(invalid));
        }
        CallContext context = new CallContext(lookupId, receivedAt, caller, contract, request);
        Uni<Optional<Answer>> replay = request.idempotencyKey() == null ? Uni.createFrom().item(Optional.empty())
                : idempotency.claim(contract.id().toString(), request.idempotencyKey(), request.fingerprint())
                        .invoke(found -> {
                            progress.keyClaimed = found.isEmpty();
                            progress.replayed = found.isPresent();
                        });
        return replay.chain(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : limits.admit(contract, receivedAt)
                        .invoke(() -> progress.quotaReserved = true)
                        .chain(() -> work.apply(context)));
    }

    /** What refuses the request before any work (SPEC §4 input rules, purposes, operator, KIdC), or {@code null}. */
    private static ApiProblem invalid(CallRequest request, Access.Terms contract) {
        if (request.malformed() != null) {
            return request.malformed();
        }
        String purposeProblem = InputRules.problemWith(request.purpose(), InputRules.MAX_PURPOSE);
        if (purposeProblem != null) {
            return Problems.invalidRequest("purpose: " + purposeProblem);
        }
        // a call that names no person (statistics) need not declare a purpose; one it declares is still checked
        boolean aboutAPerson = request.product().hasSubject();
        boolean noPurpose = request.purpose() == null || request.purpose().isBlank();
        if (noPurpose && aboutAPerson) {
            return Problems.unknownPurpose("a purpose is required: one of the purposes the contract allows");
        }
        if (!noPurpose && !contract.purposes().contains(request.purpose())) {
            return Problems.unknownPurpose("the contract does not allow the purpose '" + printable(request.purpose())
                    + "'");
        }
        String operatorProblem = InputRules.problemWith(request.operatorId(), InputRules.MAX_OPERATOR_ID);
        if (operatorProblem != null) {
            return Problems.invalidRequest("X-Operator-Id: " + operatorProblem);
        }
        if (aboutAPerson && contract.operatorIdRequired()
                && (request.operatorId() == null || request.operatorId().isBlank())) {
            return Problems.operatorMissing();
        }
        String keyProblem = InputRules.problemWith(request.idempotencyKey(), InputRules.MAX_HEADER);
        if (keyProblem != null) {
            return Problems.invalidRequest("Idempotency-Key: " + keyProblem);
        }
        if (!aboutAPerson) {
            return null;
        }
        String kidcProblem = Kidc.problemWith(request.subjectKidc());
        return kidcProblem == null ? null : Problems.invalidKidc("kidc: " + kidcProblem);
    }

    private Uni<Response> finish(Answer answer, Caller caller, CallRequest request, Instant receivedAt,
                                 String lookupId, long started, Progress progress) {
        boolean billable = answer.answered() && !progress.replayed;
        String outcome = progress.replayed ? REPLAYED
                : answer.answered() ? ANSWERED : answer.status() >= 500 ? FAILED : REFUSED;
        long latencyMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started);
        LookupRecord record = new LookupRecord(lookupId, receivedAt, caller.contractId(), caller.clientId(),
                blankToNull(request.operatorId()), blankToNull(request.purpose()), request.product(),
                request.subjectKidc(), outcome, answer.result(),
                answer.answered() ? answer.fieldsDisclosed() : List.of(), answer.status(), billable, latencyMicros)
                .withDetail(request.detail())
                .storable();
        Uni<Void> giveBack = giveBack(billable, request, receivedAt, progress, answer);
        // once the record is durable the call is answered as it ran, whatever the counters' Redis then says: a
        // key whose answer could not be kept stays pending (a retry is told so) rather than run and billed again
        Uni<Void> keptOrLogged = giveBack.onFailure().recoverWithItem(failure -> {
            LOG.warnf("call %s answered, but its quota unit or idempotency key could not be settled: %s", lookupId,
                    failure.toString());
            return null;
        });
        return audit.append(record)
                .chain(() -> keptOrLogged)
                .map(ignored -> {
                    count(request, outcome, billable, caller);
                    return response(answer, lookupId, progress.replayed);
                })
                .onFailure().recoverWithUni(failure -> giveBackAll(request, receivedAt, progress)
                        .onFailure().recoverWithNull()
                        .map(ignored -> {
                            registry.counter("api.calls", "product", request.product().name(), "outcome",
                                    "AUDIT_UNAVAILABLE").increment();
                            Response unavailable = ProblemMapper.toResponse(Problems.auditUnavailable(), request.path());
                            unavailable.getHeaders().add("Lookup-Id", lookupId);
                            return unavailable;
                        }));
    }

    /** After a durable record: unbilled calls give their quota unit back; answered ones keep their key's answer. */
    private Uni<Void> giveBack(boolean billable, CallRequest request, Instant receivedAt, Progress progress,
                               Answer answer) {
        Uni<Void> quota = progress.quotaReserved && !billable ? limits.release(progress.contract, receivedAt)
                : Uni.createFrom().voidItem();
        if (!progress.keyClaimed) {
            return quota;
        }
        String contractId = progress.contract.id().toString();
        Uni<Void> key = answer.answered()
                ? idempotency.complete(contractId, request.idempotencyKey(), request.fingerprint(), answer)
                : idempotency.release(contractId, request.idempotencyKey());
        return quota.chain(() -> key);
    }

    /** The record could not be made durable: nothing was answered, so nothing is kept. */
    private Uni<Void> giveBackAll(CallRequest request, Instant receivedAt, Progress progress) {
        Uni<Void> quota = progress.quotaReserved ? limits.release(progress.contract, receivedAt)
                : Uni.createFrom().voidItem();
        return progress.keyClaimed
                ? quota.chain(() -> idempotency.release(progress.contract.id().toString(), request.idempotencyKey()))
                : quota;
    }

    private Answer problemAnswer(ApiProblem problem, CallRequest request) {
        try {
            return new Answer(problem.status(), mapper.writeValueAsString(problem.body(request.path())),
                    ProblemBody.MEDIA_TYPE, problem.name(), List.of()).withHeaders(problem.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response response(Answer answer, String lookupId, boolean replayed) {
        Response.ResponseBuilder builder = Response.status(answer.status()).type(answer.mediaType())
                .entity(answer.body()).header("Lookup-Id", lookupId);
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        if (replayed) {
            builder.header("Idempotent-Replayed", "true");
        }
        return builder.build();
    }

    private void count(CallRequest request, String outcome, boolean billable, Caller caller) {
        counters.computeIfAbsent(request.product().name() + "|" + outcome, key -> registry.counter("api.calls",
                "product", request.product().name(), "outcome", outcome)).increment();
        if (billable) {
            counters.computeIfAbsent(caller.contractId() + "|" + request.product().name(), key -> registry.counter(
                    "api.billable.calls", "contract", caller.contractId(), "product", request.product().name()))
                    .increment();
        }
    }

    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) : value;
        return cut.replaceAll("[^\\p{Alnum}_\\-]", "?");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
