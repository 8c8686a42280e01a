package kh.dds.replica.person;

/**
 * An event held behind a gap in its person's sequence, kept as it arrived, with where it came from, and why it is
 * malformed when that cannot be read from the event again ({@code null} otherwise).
 */
public record HeldEvent(String kidc, long sequence, String event, int sourcePartition, long sourceOffset,
                        String problem) {
}
