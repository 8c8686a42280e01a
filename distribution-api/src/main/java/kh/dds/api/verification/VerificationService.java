package kh.dds.api.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kh.dds.api.call.Answer;
import kh.dds.api.call.CallContext;
import kh.dds.api.person.PersonDirectory;
import kh.dds.api.person.ReplicaFreshness;
import kh.dds.api.person.ReplicaPerson;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.Problems;
import kh.dds.api.verification.matching.AddressClaim;
import kh.dds.api.verification.matching.Claims;
import kh.dds.api.verification.matching.Conditions;
import kh.dds.api.verification.matching.IdentityMatcher;
import kh.dds.api.verification.matching.InvalidClaimException;
import kh.dds.api.verification.matching.VerificationOutcome;
import kh.dds.schema.time.PhnomPenh;

/** Verifies claims and predicates against the replica's record of a person (SPEC §4.1). */
@ApplicationScoped
public class VerificationService {

    private final PersonDirectory persons;
    private final ReplicaFreshness freshness;
    private final ObjectMapper mapper;
    private final IdentityMatcher matcher = new IdentityMatcher();

    public VerificationService(PersonDirectory persons, ReplicaFreshness freshness, ObjectMapper mapper) {
        this.persons = persons;
        this.freshness = freshness;
        this.mapper = mapper;
    }

    public Uni<Answer> verify(CallContext call, VerificationRequest request) {
        return verify(call.lookupId(), request);
    }

    /**
     * A verification whose claims the matcher has read and validated: what is left is to find its person and match.
     */
    public record Prepared(String verificationId, VerificationRequest request, Claims claims, Conditions conditions) {
    }

    /**
     * An interactive verification: fails with {@code invalid-claim} for a claim the matcher cannot read; otherwise
     * its person found (cache, else replica) and matched.
     *
     * @param verificationId the call's lookup id, which the answer carries
     */
    public Uni<Answer> verify(String verificationId, VerificationRequest request) {
        Prepared prepared;
        try {
            prepared = prepare(verificationId, request);
        } catch (ApiProblem e) {
            return Uni.createFrom().failure(e);
        }
        return persons.find(request.kidc()).chain(found -> {
            Uni<Instant> dataAsOf = found.isPresent() ? Uni.createFrom().item(found.get().dataAsOf())
                    : freshness.dataAsOf();
            return dataAsOf.map(asOf -> answer(prepared, found, asOf));
        });
    }

    /**
     * Step 1 of every verification, interactive or a bulk line: the claims and conditions read and validated before
     * any person is looked at (a malformed claim says nothing about anyone).
     *
     * @throws ApiProblem {@code invalid-claim}
     */
    public Prepared prepare(String verificationId, VerificationRequest request) {
        Claims claims = claims(request.claims());
        Conditions conditions = conditions(request.conditions());
        try {
            matcher.verify(Optional.empty(), claims, conditions, PhnomPenh.today());
        } catch (InvalidClaimException e) {
            throw Problems.invalidClaim(e.getMessage());
        }
        return new Prepared(verificationId, request, claims, conditions);
    }

    /**
     * Step 2 of every verification, interactive or a bulk line — the one code path of matching (SPEC §4.3: the same
     * claims give the same answer): the prepared claims matched against the person found (or not).
     *
     * @param replicaAsOf the replica's {@code dataAsOf} as a whole, said when no person was found
     */
    public Answer answer(Prepared prepared, Optional<ReplicaPerson> found, Instant replicaAsOf) {
        VerificationRequest request = prepared.request();
        VerificationOutcome outcome = matcher.verify(found.map(ReplicaPerson::forMatching), prepared.claims(),
                prepared.conditions(), PhnomPenh.today());
        Instant asOf = found.isPresent() ? found.get().dataAsOf() : replicaAsOf;
        return answer(new VerificationResponse(prepared.verificationId(), request.reference(), outcome.kidcStatus(),
                outcome.decision(), outcome.claims(), request.conditions() == null ? null : outcome.conditions(),
                asOf), outcome);
    }

    /**
     * Many prepared verifications (a bulk chunk's lines), their persons read together in one query
     * ({@link PersonDirectory#findAll}) and each matched by {@link #answer}: the answers in the same order.
     */
    public Uni<List<Answer>> verifyAll(List<Prepared> prepared) {
        List<String> kidcs = new ArrayList<>(prepared.size());
        for (Prepared one : prepared) {
            kidcs.add(one.request().kidc());
        }
        return persons.findAll(kidcs).chain(found -> freshness.dataAsOf().map(replicaAsOf -> {
            List<Answer> answers = new ArrayList<>(prepared.size());
            for (Prepared one : prepared) {
                answers.add(answer(one, Optional.ofNullable(found.get(one.request().kidc())), replicaAsOf));
            }
            return answers;
        }));
    }

    private Answer answer(VerificationResponse response, VerificationOutcome outcome) {
        try {
            return new Answer(200, mapper.writeValueAsString(response), MediaType.APPLICATION_JSON,
                    outcome.decision().name(), List.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Claims claims(VerificationRequest.ClaimsBody body) {
        if (body == null) {
            return Claims.none();
        }
        VerificationRequest.AddressBody address = body.address();
        return new Claims(body.familyName(), body.givenName(), body.dateOfBirth(), body.sex(), body.documentNumber(),
                address == null ? null
                        : new AddressClaim(address.province(), address.district(), address.commune(), address.village()));
    }

    private static Conditions conditions(VerificationRequest.ConditionsBody body) {
        return body == null ? Conditions.none()
                : new Conditions(body.ageAtLeast(), body.alive(), body.residentInProvince());
    }
}
