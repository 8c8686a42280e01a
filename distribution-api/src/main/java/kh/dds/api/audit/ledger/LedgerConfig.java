package kh.dds.api.audit.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "api.ledger")
public interface LedgerConfig {

    /** Whether this node writes the ledger from {@code api.lookup-records} (every node may; partitions are shared). */
    @WithDefault("true")
    boolean enabled();

    /** The Ed25519 private key checkpoints are signed with (PKCS#8 PEM; {@code file:} or {@code classpath:}). */
    Optional<String> signingKey();

    /** Its public key (X.509 PEM), published at {@code GET /v1/audit/public-key}. */
    Optional<String> publicKey();

    /** The id checkpoints name for the key that signs them now. */
    @WithDefault("ledger-1")
    String keyId();

    /**
     * The public keys of earlier key ids ({@code api.ledger.retired-public-keys.<key id>=<location>}), kept after a
     * rotation so that the checkpoints they signed still verify, and published with the current one.
     */
    Map<String, String> retiredPublicKeys();

    /**
     * Where a lookup record the ledger cannot hold is parked, as it arrived, with the reason in its headers; a
     * quarantined entry in its lane says that it was (see {@link LookupRecordConsumer}).
     */
    @WithDefault("api.lookup-records.dlq")
    String deadLetterTopic();

    /** A lane is checkpointed when this many entries were chained since its last checkpoint. */
    @WithDefault("10000")
    long checkpointEvery();

    /** And at least this often, when it moved at all. */
    @WithDefault("60s")
    Duration checkpointInterval();

    /**
     * How long each product's records are kept after the end of their month ({@code api.ledger.retention.VERIFY=P7Y},
     * ISO-8601, at least a month); a product not named is kept for ever. See {@link LedgerRetention}.
     */
    Map<String, String> retention();

    /** When expired months are archived and removed (a cron in Asia/Phnom_Penh; {@code off} for never). */
    @WithDefault("0 15 1 * * ?")
    String retentionCron();

    /**
     * Where archives of expired months are written: storage every node shares and that outlives them (a mounted
     * volume, backed up or replicated to write-once storage).
     */
    @WithDefault(".local/ledger-archive")
    String archiveDirectory();
}
