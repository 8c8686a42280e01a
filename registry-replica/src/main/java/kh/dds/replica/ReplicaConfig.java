package kh.dds.replica;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "replica")
public interface ReplicaConfig {

    /** The registry's event topic. */
    String topic();

    /** Where events that cannot be applied go, with the reason. */
    String deadLetterTopic();

    /** Where the replica signals that a person's row changed. */
    String changeTopic();

    /** Where the replica publishes typed life events (deaths, retirements, name changes, revocations). */
    @WithDefault("registry.person-notifications")
    String lifeEventTopic();

    /** The consumer group whose committed offsets measure the lag. */
    String groupId();

    /** How often the lag is measured against the broker. */
    @WithDefault("5s")
    Duration lagInterval();

    /** How often events still held behind a gap are reported in the log. */
    @WithDefault("30s")
    Duration heldReportInterval();

    /** A snapshot file to bulk-load once at start-up, before following the stream. */
    Optional<String> snapshotFile();

    /** The population history behind the statistics (SPEC §4.4). */
    Statistics statistics();

    interface Statistics {

        /**
         * The secret under which each person's record key is HMAC-SHA256 of the KIdC (at least 16 characters; no
         * default outside dev and test: {@code REPLICA_STATISTICS_RECORD_KEY_SECRET}). Changing it changes every
         * published count once: keep it for the life of the replica.
         */
        String recordKeySecret();

        /** How often closed days are built into, or rebuilt in, {@code population_day} (default 30 s). */
        @WithDefault("30s")
        Duration buildInterval();

        /** At most this many days are built per round, so that a long catch-up yields between rounds (default 31). */
        @WithDefault("31")
        int daysPerRound();
    }
}
