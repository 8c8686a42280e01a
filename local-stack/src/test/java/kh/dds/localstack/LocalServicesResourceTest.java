package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
    void aRoleLogsTheServiceInAsItsOwnRoleOnTheServicesSchemas() throws Exception {
        LocalServicesResource resource = new LocalServicesResource();
        resource.init(Map.of("database", "dds_local_stack_resource_role_test", "services", "postgres",
                "role", "dds_billing"));
        Map<String, String> config = resource.start();

        assertEquals("dds_billing", config.get("quarkus.datasource.username"));
        assertFalse(config.containsKey("quarkus.datasource.password"), "the tests' servers trust local connections");
        PostgresEndpoint billing = LocalServicesResource.services().postgres().as(ServiceRole.BILLING, "");
        try (Connection connection = billing.connect("dds_local_stack_resource_role_test");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select current_user, "
                     + "(select nspowner::regrole::text from pg_namespace where nspname = 'billing')")) {
            assertTrue(rows.next());
            assertEquals("dds_billing", rows.getString(1));
            assertEquals("dds_billing", rows.getString(2), "the schema its Flyway migrates is its own");
        }
    }

    @Test
    void servicesArgLimitsTheConfig() {
        LocalServicesResource resource = new LocalServicesResource();
        resource.init(Map.of("services", "redis", "redisDb", "5"));
        Map<String, String> config = resource.start();
        assertEquals(Set.of("quarkus.redis.hosts", "quarkus.redis.counters.hosts"), config.keySet());
        assertTrue(config.get("quarkus.redis.hosts").endsWith("/5"));
        assertTrue(config.get("quarkus.redis.counters.hosts").endsWith("/5"));
    }

    @Test
    void theCountersHaveARedisOfTheirOwnThatNeverEvicts() throws Exception {
        LocalServicesResource resource = new LocalServicesResource();
        resource.init(Map.of("services", "redis"));
        Map<String, String> config = resource.start();

        LocalServices services = LocalServicesResource.services();
        RedisEndpoint counters = services.countersRedis();
        assertEquals(counters.url(0), config.get("quarkus.redis.counters.hosts"));
        assertNotEquals(services.redis().url(0), counters.url(0), "not the cache's Redis");
        assertEquals("noeviction", configGet(counters, "maxmemory-policy"));
        resource.stop();
        assertTrue(ServiceProbe.redis(counters.host(), counters.port(), Duration.ofSeconds(2)).isEmpty(),
                "JVM-wide: it serves the next test application too");
    }

    @Test
    void ownRedisServersAreTheResourcesAloneAndStopWithIt() throws Exception {
        LocalServicesResource resource = new LocalServicesResource();
        resource.init(Map.of("services", "redis", "ownRedis", "cache,counters"));
        Map<String, String> config = resource.start();

        LocalServices services = LocalServicesResource.services();
        RedisEndpoint cache = endpointOf(config.get("quarkus.redis.hosts"));
        RedisEndpoint counters = endpointOf(config.get("quarkus.redis.counters.hosts"));
        assertNotEquals(services.redis().port(), cache.port());
        assertNotEquals(services.countersRedis().port(), counters.port());
        assertNotEquals(cache.port(), counters.port());
        assertEquals("noeviction", configGet(counters, "maxmemory-policy"));

        resource.stop();
        assertTrue(ServiceProbe.tcp(cache.host(), cache.port(), Duration.ofSeconds(1)).isPresent(),
                "the resource's own cache Redis stops with it");
        assertTrue(ServiceProbe.tcp(counters.host(), counters.port(), Duration.ofSeconds(1)).isPresent(),
                "the resource's own counters' Redis stops with it");
        assertTrue(ServiceProbe.redis(services.redis().host(), services.redis().port(), Duration.ofSeconds(2))
                .isEmpty(), "the JVM-wide Redis is left alone");
    }

    @Test
    void anUnknownOwnRedisIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new LocalServicesResource().init(Map.of("services", "redis", "ownRedis", "sessions")));
    }

    private static RedisEndpoint endpointOf(String url) {
        URI uri = URI.create(url);
        return new RedisEndpoint(uri.getHost(), uri.getPort(), true);
    }

    /** {@code CONFIG GET name}: the value of the two-element array answer. */
    private static String configGet(RedisEndpoint redis, String name) throws Exception {
        try (Socket socket = new Socket(redis.host(), redis.port())) {
            socket.setSoTimeout(2000);
            String command = "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$" + name.length() + "\r\n" + name + "\r\n";
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertEquals("*2", ServiceProbe.readLine(in));
            ServiceProbe.readLine(in);                      // $<length of the name>
            assertEquals(name, ServiceProbe.readLine(in));
            ServiceProbe.readLine(in);                      // $<length of the value>
            return ServiceProbe.readLine(in);
        }
    }

    @Test
    void aDatabaseIsRequiredWhenPostgresIsWired() {
        assertThrows(IllegalArgumentException.class, () -> new LocalServicesResource().init(Map.of()));
    }
}
