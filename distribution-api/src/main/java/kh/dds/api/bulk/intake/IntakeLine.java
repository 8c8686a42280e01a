package kh.dds.api.bulk.intake;

import kh.dds.api.verification.VerificationRequest;

/**
 * One line of a bulk upload as read: a verification request to run, or the problem that refuses the line. Every line
 * the client sent that is not empty gives exactly one, in input order, under the number the client counts it by.
 */
public sealed interface IntakeLine permits IntakeLine.Accepted, IntakeLine.Refused {

    /** The line's number as the client counts it: 1-based, a CSV header is line 1. */
    long number();

    /** A line read to the same request as the interactive call with the same claims (SPEC §4.1). */
    record Accepted(long number, VerificationRequest request) implements IntakeLine {
    }

    /**
     * A line that is not verified; the job goes on with the next.
     *
     * @param kidcSent the KIdC as sent, when the line was read far enough to know it (a malformed KIdC), for the
     *                 line's audit record; otherwise {@code null}
     */
    record Refused(long number, LineProblem problem, String kidcSent) implements IntakeLine {

        public Refused(long number, LineProblem problem) {
            this(number, problem, null);
        }
    }
}
