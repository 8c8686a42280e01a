package kh.dds.api.bulk.intake;

/**
 * The upload as a whole cannot be read: a CSV upload without a header row, or whose header names a column this API
 * does not know, lacks {@code kidc} or names a column twice. Unlike a bad line this stops the upload: every row would
 * be read against the wrong columns. The message says why without repeating what the caller sent.
 */
public class UploadRefused extends RuntimeException {

    public UploadRefused(String reason) {
        super(reason, null, false, false);
    }
}
