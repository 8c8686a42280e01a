package kh.dds.api.bulk.intake;

import kh.dds.api.problem.ApiProblem;

/**
 * Why one line of a bulk upload is not verified (SPEC §4.3): the same problem type an interactive call with the same
 * body would be refused with ({@code invalid-kidc}, {@code invalid-claim}, {@code invalid-request}), and a detail that
 * names the field or column at fault, never its value, so that a results file never repeats what a caller sent.
 */
public record LineProblem(String type, String detail) {

    public static final String INVALID_REQUEST = "invalid-request";
    public static final String INVALID_KIDC = "invalid-kidc";

    static LineProblem invalidRequest(String detail) {
        return new LineProblem(INVALID_REQUEST, detail);
    }

    static LineProblem of(ApiProblem problem) {
        return new LineProblem(problem.name(), problem.detail());
    }
}
