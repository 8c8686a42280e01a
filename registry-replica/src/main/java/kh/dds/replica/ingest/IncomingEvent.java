package kh.dds.replica.ingest;

import java.nio.charset.StandardCharsets;
import kh.dds.schema.event.RegistryEvent;

/**
 * One record from the event topic (or from the held table), as far as it could be read.
 *
 * @param kidc      the person, when the envelope named a valid KIdC, else {@code null}
 * @param sequence  the person's sequence, when readable, else 0
 * @param event     the decoded event, or {@code null} when it is malformed
 * @param problem   why it is malformed, or {@code null}
 * @param value     the value exactly as it arrived (UTF-8 text when it was placed, any bytes otherwise)
 * @param partition where it came from
 * @param offset    where it came from
 * @param held      whether it was read back from the held table
 */
public record IncomingEvent(String kidc, long sequence, RegistryEvent event, String problem, byte[] value,
                            int partition, long offset, boolean held) {

    /** Whether the event can take its place in a person's sequence (readable envelope), malformed payload or not. */
    public boolean placed() {
        return kidc != null && sequence > 0;
    }

    /** The value as text; only for a placed event, whose value was checked to be UTF-8. */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The same event refused for {@code reason}: it is dead-lettered in its turn, like a malformed one. */
    public IncomingEvent refused(String reason) {
        return new IncomingEvent(kidc, sequence, null, reason, value, partition, offset, held);
    }
}
