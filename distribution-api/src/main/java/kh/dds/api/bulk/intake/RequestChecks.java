package kh.dds.api.bulk.intake;

import kh.dds.api.verification.VerificationRequest;
import kh.dds.schema.kidc.Kidc;

/**
 * The checks the interactive pipeline makes after the body is read ({@code PersonalDataCalls}), made per line in the
 * same order: a line's purpose, when it names one, must be the upload's (the contract allowed that one), then the KIdC
 * must be well formed. Claims are checked by the matcher when the line is verified, as for an interactive call.
 */
final class RequestChecks {

    private final String purpose;

    RequestChecks(String purpose) {
        this.purpose = purpose;
    }

    IntakeLine check(long number, VerificationRequest request) {
        if (request.purpose() != null && !request.purpose().equals(purpose)) {
            return new IntakeLine.Refused(number, LineProblem.invalidRequest(
                    "purpose: a line may only name the purpose of its upload"));
        }
        String kidcProblem = Kidc.problemWith(request.kidc());
        if (kidcProblem != null) {
            return new IntakeLine.Refused(number, new LineProblem(LineProblem.INVALID_KIDC, "kidc: " + kidcProblem),
                    request.kidc());
        }
        return new IntakeLine.Accepted(number, new VerificationRequest(request.kidc(), purpose, request.reference(),
                request.claims(), request.conditions()));
    }
}
