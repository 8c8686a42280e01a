package kh.dds.schema.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed statement of a lane's state: its head at {@code seq} has hash {@code headHash}, {@code records} entries
 * were chained up to it, at {@code at}, signed with the Ed25519 key {@code keyId}. An outside party that keeps
 * checkpoints can later prove that the ledger still holds exactly what it held then — or where it stopped doing so.
 *
 * @param headHash  hex
 * @param signature base64 (standard alphabet) of the Ed25519 signature over {@link #signedBytes()}
 */
public record Checkpoint(int lane, long seq, String headHash, long records, Instant at, String keyId,
                         String signature) {

    public Checkpoint {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(keyId, "keyId");
    }

    /** What the signature covers: {@code dds-ledger-checkpoint-v1|lane|seq|headHash|records|at|keyId}, UTF-8. */
    public byte[] signedBytes() {
        return ("dds-ledger-checkpoint-v1|" + lane + "|" + seq + "|" + headHash + "|" + records + "|" + at + "|"
                + keyId).getBytes(StandardCharsets.UTF_8);
    }

    public Checkpoint withSignature(String value) {
        return new Checkpoint(lane, seq, headHash, records, at, keyId, value);
    }
}
