package kh.dds.api.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import kh.dds.api.call.Answer;
import kh.dds.api.call.CallContext;
import kh.dds.api.person.PersonDirectory;
import kh.dds.api.person.ReplicaFreshness;
import kh.dds.api.person.ReplicaPerson;
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
     * The one code path of every verification, interactive or a bulk line (SPEC §4.3: the same claims give the same
     * answer): fails with {@code invalid-claim} for a claim the matcher cannot read.
     *
     * @param verificationId the call's or the line's lookup id, which the answer carries
     */
    public Uni<Answer> verify(String verificationId, VerificationRequest request) {
        Claims claims = claims(request.claims());
        Conditions conditions = conditions(request.conditions());
        try {
            // validated before the person is looked at: a malformed claim says nothing about anyone
            matcher.verify(Optional.empty(), claims, conditions, PhnomPenh.today());
        } catch (InvalidClaimException e) {
            return Uni.createFrom().failure(Problems.invalidClaim(e.getMessage()));
        }
        return persons.find(request.kidc()).chain(found -> {
            VerificationOutcome outcome = matcher.verify(found.map(ReplicaPerson::forMatching), claims, conditions,
                    PhnomPenh.today());
            Uni<java.time.Instant> dataAsOf = found.isPresent() ? Uni.createFrom().item(found.get().dataAsOf())
                    : freshness.dataAsOf();
            return dataAsOf.map(asOf -> answer(new VerificationResponse(verificationId, request.reference(),
                    outcome.kidcStatus(), outcome.decision(), outcome.claims(),
                    request.conditions() == null ? null : outcome.conditions(), asOf), outcome));
        });
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
