package kh.dds.localstack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics on any broker, the in-JVM one or a real cluster, and grows their partition count if asked to. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * Makes each topic exist with at least its partition count. A topic that exists keeps its configs.
     * The replication factor is the broker's default.
     *
     * @return one line per topic saying what was done
     */
    public static List<String> ensure(String bootstrapServers, Collection<TopicSpec> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "dds-local-stack");
        List<String> report = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            for (TopicSpec topic : topics) {
                report.add(ensure(admin, topic));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " refused: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
        return report;
    }

    private static String ensure(Admin admin, TopicSpec topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        NewTopic request = new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())
                .configs(topic.configs());
        try {
            admin.createTopics(List.of(request)).all().get(30, TimeUnit.SECONDS);
            return topic.name() + ": created with " + topic.partitions() + " partitions" + configsText(topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        TopicDescription existing = admin.describeTopics(List.of(topic.name())).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic.name());
        int current = existing.partitions().size();
        if (current < topic.partitions()) {
            admin.createPartitions(Map.of(topic.name(), NewPartitions.increaseTo(topic.partitions())))
                    .all().get(30, TimeUnit.SECONDS);
            awaitPartitions(admin, topic);
            return topic.name() + ": existed, partitions raised from " + current + " to " + topic.partitions();
        }
        return topic.name() + ": exists with " + current + " partitions";
    }

    /**
     * Until the broker's metadata shows the new partitions: the controller has accepted them when
     * {@code createPartitions} returns, but a describe (or a producer) right after may still see the old count.
     */
    private static void awaitPartitions(Admin admin, TopicSpec topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (admin.describeTopics(List.of(topic.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic.name()).partitions().size() < topic.partitions()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(topic.name() + ": the broker does not show " + topic.partitions()
                        + " partitions 30 s after they were created");
            }
            Thread.sleep(50);
        }
    }

    private static String configsText(TopicSpec topic) {
        return topic.configs().isEmpty() ? "" : " " + topic.configs();
    }
}
