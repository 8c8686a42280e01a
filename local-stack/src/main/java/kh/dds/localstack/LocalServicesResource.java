package kh.dds.localstack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the real PostgreSQL, Redis and Kafka of {@link LocalServices}.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = LocalServicesResource.class, initArgs = {
 *         @ResourceArg(name = "database", value = "dds_replica_test"),
 *         @ResourceArg(name = "redisDb", value = "1"),
 *         @ResourceArg(name = "topics", value = "registry.person-events:12;registry.person-changes:12:cleanup.policy=compact")})
 * class ReplicaTest { ... }
 * }</pre>
 *
 * <p>Init args:
 * <ul>
 * <li>{@code database}: the PostgreSQL database of the module, created if absent (required when PostgreSQL is used);</li>
 * <li>{@code schema}: optional; created in that database if absent (the module's own config selects it);</li>
 * <li>{@code role}: optional, a {@link ServiceRole} ({@code dds_replica}, {@code dds_api}, {@code dds_billing}):
 *     the database gets the services' roles, schemas and grants ({@link DatabaseRoles}) and the service logs in as
 *     that role, without a password (the tests' servers trust local connections), so that a grant it lacks fails
 *     the test. Without it, the setting {@code DDS_TEST_ROLE} (a system property each service module's build sets
 *     for its tests); without either, the superuser of {@link LocalServices#postgres()};</li>
 * <li>{@code redisDb}: the Redis database index, default 0;</li>
 * <li>{@code topics}: optional, {@code name:partitions[:key=value,...]} separated by {@code ;}, created if absent;</li>
 * <li>{@code services}: which of {@code postgres,redis,kafka} to wire, default all three;</li>
 * <li>{@code ownRedis}: optional, {@code cache} and/or {@code counters} (comma-separated): that Redis is not the
 *     JVM-wide one but an embedded server of this resource alone, started by {@link #start()} and stopped by
 *     {@link #stop()} — for a test that changes a server's settings ({@code CONFIG SET maxmemory}).</li>
 * </ul>
 *
 * <p>{@link #start()} returns {@code quarkus.datasource.reactive.url}, {@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username}, {@code quarkus.datasource.password} (only when there is one; with a
 * {@code role}, that role's login),
 * {@code quarkus.redis.hosts} (the cache's Redis), {@code quarkus.redis.counters.hosts} (the counters' Redis, a
 * {@code noeviction} server of its own, see {@link LocalServices#countersRedis()}; a service that has no client of
 * that name ignores it) and {@code kafka.bootstrap.servers}.
 *
 * <p>The services are JVM-wide and outlive each Quarkus application of the test run: {@link #stop()} leaves them
 * running and a shutdown hook stops what was started. Tests reach them through {@link #services()}.
 */
public class LocalServicesResource implements QuarkusTestResourceLifecycleManager {

    private static final Set<String> ALL_SERVICES = Set.of("postgres", "redis", "kafka");
    private static final Set<String> OWN_REDIS = Set.of("cache", "counters");

    private Set<String> services = ALL_SERVICES;
    private String database;
    private String schema;
    private ServiceRole role;
    private int redisDb;
    private List<TopicSpec> topics = List.of();
    private Set<String> ownRedis = Set.of();
    private final List<EmbeddedRedis> owned = new ArrayList<>();

    /** The services every test of this JVM shares: {@code services().kafkaBootstrapServers()} and so on. */
    public static LocalServices services() {
        return LocalServices.get();
    }

    @Override
    public void init(Map<String, String> args) {
        services = names(args.getOrDefault("services", String.join(",", ALL_SERVICES)));
        if (!ALL_SERVICES.containsAll(services)) {
            throw new IllegalArgumentException("services must name some of " + ALL_SERVICES + ", got " + services);
        }
        database = args.get("database");
        if (services.contains("postgres") && (database == null || database.isBlank())) {
            throw new IllegalArgumentException("LocalServicesResource needs the init arg 'database'");
        }
        schema = args.get("schema");
        role = Optional.ofNullable(args.get("role")).filter(name -> !name.isBlank())
                .or(() -> Settings.system().find("DDS_TEST_ROLE"))
                .map(ServiceRole::named)
                .orElse(null);
        redisDb = Integer.parseInt(args.getOrDefault("redisDb", "0").trim());
        ownRedis = names(args.getOrDefault("ownRedis", ""));
        if (!OWN_REDIS.containsAll(ownRedis)) {
            throw new IllegalArgumentException("ownRedis must name some of " + OWN_REDIS + ", got " + ownRedis);
        }
        String topicList = args.getOrDefault("topics", "");
        topics = Arrays.stream(topicList.split(";"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(TopicSpec::parse)
                .toList();
    }

    @Override
    public Map<String, String> start() {
        LocalServices local = services();
        Map<String, String> config = new HashMap<>();
        if (services.contains("postgres")) {
            PostgresEndpoint postgres = local.postgres();
            if (schema != null && !schema.isBlank()) {
                postgres.ensureSchema(database, schema);
            } else {
                postgres.ensureDatabase(database);
            }
            if (role != null) {
                postgres.ensureRoles(database);
                postgres = postgres.as(role, "");
            }
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
            config.put("quarkus.datasource.username", postgres.username());
            if (postgres.hasPassword()) {
                config.put("quarkus.datasource.password", postgres.password());
            }
        }
        if (services.contains("redis")) {
            config.put("quarkus.redis.hosts", ownRedis.contains("cache")
                    ? own(List.of()).url(redisDb) : local.redisUrl(redisDb));
            config.put("quarkus.redis.counters.hosts", ownRedis.contains("counters")
                    ? own(List.of("maxmemory-policy " + LocalServices.COUNTERS_POLICY)).url(redisDb)
                    : local.countersRedisUrl(redisDb));
        }
        if (services.contains("kafka")) {
            String bootstrapServers = local.kafkaBootstrapServers();
            if (!topics.isEmpty()) {
                KafkaTopics.ensure(bootstrapServers, topics);
            }
            config.put("kafka.bootstrap.servers", bootstrapServers);
        }
        return config;
    }

    /** Stops the Redis servers of this resource alone; the JVM-wide services serve the next application. */
    @Override
    public void stop() {
        for (EmbeddedRedis server : owned) {
            try {
                server.close();
            } catch (Exception e) {
                System.getLogger(LocalServicesResource.class.getName())
                        .log(System.Logger.Level.WARNING, "Could not stop " + server, e);
            }
        }
        owned.clear();
    }

    private RedisEndpoint own(List<String> settings) {
        EmbeddedRedis server = EmbeddedRedis.start(settings);
        owned.add(server);
        return server.endpoint();
    }

    private static Set<String> names(String list) {
        return Arrays.stream(list.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
