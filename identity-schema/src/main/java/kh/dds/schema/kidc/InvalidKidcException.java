package kh.dds.schema.kidc;

/** A code that is not a KIdC. The message names the reason, never more than the code's length. */
public class InvalidKidcException extends IllegalArgumentException {

    private final String reason;

    public InvalidKidcException(String value, String reason) {
        super("invalid KIdC: " + reason);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
