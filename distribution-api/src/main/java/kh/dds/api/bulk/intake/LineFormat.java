package kh.dds.api.bulk.intake;

import java.util.function.Consumer;

/** How the lines of one upload's format become verification requests: NDJSON or CSV. */
interface LineFormat {

    /** Reads one line the splitter cut; gives at most one {@link IntakeLine}. */
    void read(PhysicalRecord record, Consumer<IntakeLine> out);

    /** The upload has ended. */
    void finish();
}
