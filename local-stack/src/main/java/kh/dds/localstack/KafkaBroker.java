package kh.dds.localstack;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) running inside this JVM, on a free port
 * of 127.0.0.1 with its logs in a temporary directory that {@link #close()} removes. Starts in 1–2 s.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *     broker.createTopic("registry.person-events", 12, Map.of());
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    /** Settings of a development broker: one replica of everything, topics created on first use, no join delay. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("num.partitions", "4"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "4"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "4"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // behave like a released broker, not like Kafka's own tests
            Map.entry("unstable.api.versions.enable", "false"),
            Map.entry("unstable.feature.versions.enable", "false"));

    /** Logger names of the broker's own classes (not the clients'), kept at WARNING where JUL carries the logs. */
    private static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.storage",
            "org.apache.kafka.coordinator", "org.apache.kafka.snapshot", "org.apache.kafka.queue",
            "org.apache.kafka.network", "org.apache.kafka.security", "org.apache.kafka.common.test",
            "org.apache.kafka.common.utils.AppInfoParser");

    /** Strong references: JUL forgets the level of a logger nobody holds. */
    private static final List<Logger> QUIETED = BROKER_LOGGERS.stream().map(Logger::getLogger).toList();

    /** Dumps every config of every server and client at INFO; silenced while the broker starts. */
    private static final Logger CONFIG_DUMP = Logger.getLogger("org.apache.kafka.common.config.AbstractConfig");

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /** Starts a broker with {@link #DEFAULTS}. */
    public static KafkaBroker start() {
        return start(Map.of());
    }

    /** Starts a broker with {@link #DEFAULTS} and {@code overrides} (broker configs, e.g. {@code num.partitions}). */
    public static KafkaBroker start(Map<String, String> overrides) {
        // The broker touches the Log4j API, which has no provider in a Quarkus test (logs go to jboss-logmanager
        // through SLF4J) and would print an ERROR line saying so.
        if (System.getProperty("log4j2.statusLoggerLevel") == null) {
            System.setProperty("log4j2.statusLoggerLevel", "OFF");
        }
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        Level configDumpLevel = CONFIG_DUMP.getLevel();
        CONFIG_DUMP.setLevel(Level.WARNING);
        Map<String, String> configs = new LinkedHashMap<>(DEFAULTS);
        configs.putAll(overrides);
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    // a directory of our own: the test kit's default one is deleted by a JVM shutdown hook of its
                    // own, which can run while the broker is still being stopped by ours - the broker then sees
                    // its log directory fail and halts the JVM with status 1
                    .setBaseDirectory(Files.createTempDirectory("dds-kafka-"))
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    // the default is the newest, unstable metadata version; a released broker uses this one
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            configs.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start the in-JVM Kafka broker: " + e.getMessage(), e);
        } finally {
            CONFIG_DUMP.setLevel(configDumpLevel);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topic unless it exists (then raises its partition count to {@code partitions} if lower). */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        KafkaTopics.ensure(bootstrapServers, List.of(new TopicSpec(name, partitions, configs)));
    }

    /** Stops the broker and deletes its logs. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not stop the in-JVM Kafka broker cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "in-JVM Kafka broker " + bootstrapServers;
    }
}
