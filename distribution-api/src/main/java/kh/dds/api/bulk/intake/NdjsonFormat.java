package kh.dds.api.bulk.intake;

import java.util.function.Consumer;
import kh.dds.api.verification.VerificationBodyReader;

/**
 * {@code application/x-ndjson}: each line one §4.1 verification body, read by the same {@link VerificationBodyReader}
 * as {@code POST /v1/verifications}. An empty line is skipped (many writers end a file with one, or leave one between
 * batches); its number is still counted.
 */
final class NdjsonFormat implements LineFormat {

    private final VerificationBodyReader bodies;
    private final RequestChecks checks;

    NdjsonFormat(VerificationBodyReader bodies, RequestChecks checks) {
        this.bodies = bodies;
        this.checks = checks;
    }

    @Override
    public void read(PhysicalRecord record, Consumer<IntakeLine> out) {
        if (record instanceof PhysicalRecord.Bad bad) {
            out.accept(new IntakeLine.Refused(bad.number(), bad.problem()));
            return;
        }
        PhysicalRecord.Text line = (PhysicalRecord.Text) record;
        VerificationBodyReader.Read read = bodies.read(line.text());
        out.accept(read.problem() != null ? new IntakeLine.Refused(line.number(), LineProblem.of(read.problem()))
                : checks.check(line.number(), read.request()));
    }

    @Override
    public void finish() {
    }
}
