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
}
