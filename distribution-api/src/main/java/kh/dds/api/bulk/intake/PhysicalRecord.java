package kh.dds.api.bulk.intake;

/** What the {@link RecordSplitter} cuts from the byte stream: a line's text, or why it has none. */
sealed interface PhysicalRecord permits PhysicalRecord.Text, PhysicalRecord.Bad {

    long number();

    /** A line decoded as UTF-8, its line end (and a leading BOM) removed. Never empty. */
    record Text(long number, String text) implements PhysicalRecord {
    }

    /** A line too long, not UTF-8, or a quoted field never closed. */
    record Bad(long number, LineProblem problem) implements PhysicalRecord {
    }
}
