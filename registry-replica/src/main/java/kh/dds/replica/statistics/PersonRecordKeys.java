package kh.dds.replica.statistics;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import kh.dds.disclosure.RecordKeys;
import kh.dds.replica.ReplicaConfig;

/**
 * Each person's record key for the cell key method: HMAC-SHA256 of the KIdC under the replica's secret, in
 * {@code [0, 256)}, stored beside the person's row and each period of their history, read by the API to sum a cell's
 * key, never published.
 *
 * <p>A keyed hash rather than a stored random number: the key must stay the same for the same person for as long as
 * counts are published (or two answers about the same persons would differ), and a replica rebuilt from a snapshot,
 * or a second replica, derives exactly the same keys from the secret alone; a random key would be lost with the rows.
 * The secret comes from configuration, never from the database, so a copy of the replica does not give the keys'
 * derivation away (though the stored keys themselves must be treated as secret: the API never sends them).
 */
@ApplicationScoped
public class PersonRecordKeys {

    /** The perturbation table's key range (disclosure-control's default table). */
    public static final int KEY_RANGE = 256;

    private final RecordKeys keys;

    public PersonRecordKeys(ReplicaConfig config) {
        this.keys = new RecordKeys(config.statistics().recordKeySecret().getBytes(StandardCharsets.UTF_8), KEY_RANGE);
    }

    public int of(String kidc) {
        return keys.of(kidc);
    }
}
