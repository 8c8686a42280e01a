package kh.dds.replica.ingest;

import kh.dds.schema.event.RegistryEvent;

/**
 * One record from the event topic (or from the held table), as far as it could be read.
 *
 * @param kidc      the person, when the envelope named a valid KIdC, else {@code null}
 * @param sequence  the person's sequence, when readable, else 0
 * @param event     the decoded event, or {@code null} when it is malformed
 * @param problem   why it is malformed, or {@code null}
 * @param raw       the value exactly as it arrived (UTF-8 text)
 * @param partition where it came from
 * @param offset    where it came from
 * @param held      whether it was read back from the held table
 */
public record IncomingEvent(String kidc, long sequence, RegistryEvent event, String problem, String raw,
                            int partition, long offset, boolean held) {

    /** Whether the event can take its place in a person's sequence (readable envelope), malformed payload or not. */
    public boolean placed() {
        return kidc != null && sequence > 0;
    }
}
