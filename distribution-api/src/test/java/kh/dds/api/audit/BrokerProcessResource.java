package kh.dds.api.audit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import kh.dds.api.ApiTestSupport;
import kh.dds.localstack.KafkaBrokerProcess;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.localstack.TopicSpec;

/**
 * The test services of {@link LocalServicesResource}, but Kafka is a broker process of this test's own, which the
 * test can take away ({@link #broker()}): the other tests' broker stays untouched.
 */
public class BrokerProcessResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBrokerProcess broker;
    private final LocalServicesResource services = new LocalServicesResource();

    public static synchronized KafkaBrokerProcess broker() {
        return broker;
    }

    @Override
    public Map<String, String> start() {
        services.init(Map.of("database", ApiTestSupport.DATABASE, "redisDb", ApiTestSupport.REDIS_DB,
                "services", "postgres,redis"));
        Map<String, String> config = new java.util.HashMap<>(services.start());
        try {
            synchronized (BrokerProcessResource.class) {
                broker = KafkaBrokerProcess.startNew(Files.createTempDirectory("dds-audit-broker"));
            }
            KafkaTopics.ensure(broker.bootstrapServers(), List.of(ApiTestSupport.TOPICS.split(";")).stream()
                    .map(TopicSpec::parse).toList());
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test's own Kafka broker", e);
        }
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("api.audit.delivery-timeout", "2s");
        return config;
    }

    @Override
    public void stop() {
        try {
            if (broker != null) {
                broker.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
