package kh.dds.schema.event;

/**
 * An event that cannot be read as a registry event. Carries what could be read of its envelope (KIdC and sequence),
 * so that a consumer can still account for the person's sequence.
 */
public class MalformedEventException extends RuntimeException {

    private final String kidc;
    private final long sequence;

    public MalformedEventException(String reason, String kidc, long sequence) {
        super(reason, null, false, false);
        this.kidc = kidc;
        this.sequence = sequence;
    }

    public String reason() {
        return getMessage();
    }

    /** The event's KIdC when it was valid, else {@code null}. */
    public String kidc() {
        return kidc;
    }

    /** The event's sequence when it was valid, else 0. */
    public long sequence() {
        return sequence;
    }
}
