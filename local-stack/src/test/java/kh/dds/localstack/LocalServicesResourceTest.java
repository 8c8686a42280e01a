package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The test resource as Quarkus drives it: init, start, and the config it hands over. */
class LocalServicesResourceTest {

    @Test
    void startWiresAllThreeServices() throws Exception {
        LocalServicesResource resource = new LocalServicesResource();
        resource.init(Map.of("database", "dds_local_stack_resource_test", "redisDb", "2",
                "topics", "local-stack.events:5;local-stack.changes:2:cleanup.policy=compact"));
        Map<String, String> config = resource.start();

        LocalServices services = LocalServicesResource.services();
        PostgresEndpoint postgres = services.postgres();
        String expectedJdbc = "jdbc:postgresql://" + postgres.host() + ":" + postgres.port()
                + "/dds_local_stack_resource_test";
        assertEquals(expectedJdbc, config.get("quarkus.datasource.jdbc.url"));
        assertEquals(expectedJdbc.substring("jdbc:".length()), config.get("quarkus.datasource.reactive.url"));
        assertEquals(postgres.username(), config.get("quarkus.datasource.username"));
        assertEquals(postgres.hasPassword(), config.containsKey("quarkus.datasource.password"));
        try (Connection connection = postgres.connect("dds_local_stack_resource_test");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select current_database()")) {
            assertTrue(rows.next());
            assertEquals("dds_local_stack_resource_test", rows.getString(1));
        }

        RedisEndpoint redis = services.redis();
        assertEquals("redis://" + redis.host() + ":" + redis.port() + "/2", config.get("quarkus.redis.hosts"));
        assertTrue(ServiceProbe.redis(redis.host(), redis.port(), Duration.ofSeconds(2)).isEmpty());

        String bootstrap = config.get("kafka.bootstrap.servers");
        assertEquals(services.kafkaBootstrapServers(), bootstrap);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            var topics = admin.describeTopics(List.of("local-stack.events", "local-stack.changes")).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertEquals(5, topics.get("local-stack.events").partitions().size());
            assertEquals(2, topics.get("local-stack.changes").partitions().size());
        }

        resource.stop();
        assertTrue(ServiceProbe.redis(redis.host(), redis.port(), Duration.ofSeconds(2)).isEmpty(),
                "stop() must leave the JVM-wide services running for the next test application");
    }

    @Test
    void servicesArgLimitsTheConfig() {
        LocalServicesResource resource = new LocalServicesResource();
        resource.init(Map.of("services", "redis", "redisDb", "5"));
        Map<String, String> config = resource.start();
        assertEquals(Set.of("quarkus.redis.hosts"), config.keySet());
        assertTrue(config.get("quarkus.redis.hosts").endsWith("/5"));
    }

    @Test
    void aDatabaseIsRequiredWhenPostgresIsWired() {
        assertThrows(IllegalArgumentException.class, () -> new LocalServicesResource().init(Map.of()));
    }
}
