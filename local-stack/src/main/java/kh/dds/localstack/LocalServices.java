package kh.dds.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL, Redis and Kafka that tests use, resolved once per JVM and each on first use.
 *
 * <p>How each is found (settings are system properties or environment variables, see {@link Settings}):
 * <ul>
 * <li>PostgreSQL: {@code DDS_PG_HOST}/{@code DDS_PG_PORT} (default 127.0.0.1:5432) as {@code DDS_PG_USER}
 * (default {@code postgres}) with {@code DDS_PG_PASSWORD}, if a JDBC connection opens within 2 s. If nothing was
 * configured and the default port does not answer, an embedded PostgreSQL 14 (zonky) starts on a free port. If
 * {@code DDS_PG_HOST} or {@code DDS_PG_PORT} is set and does not answer, that is an error: a typo must not quietly
 * run the tests against a throw-away database.</li>
 * <li>Redis: {@code DDS_REDIS_HOST}/{@code DDS_REDIS_PORT} (default 127.0.0.1:6379) if {@code PING} answers; same
 * rules, the fallback is an embedded Redis 6.2 on a free port.</li>
 * <li>The counters' Redis ({@link #countersRedis()}): {@code DDS_COUNTERS_REDIS_HOST}/{@code DDS_COUNTERS_REDIS_PORT}
 * if set (it must answer), otherwise an embedded Redis with {@code maxmemory-policy noeviction} on a free port.</li>
 * <li>Kafka: {@code KAFKA_BOOTSTRAP_SERVERS} if set and not blank; otherwise an in-JVM {@link KafkaBroker}.</li>
 * <li>{@code DDS_EMBEDDED=1} skips the servers and starts the embedded PostgreSQL and Redis.</li>
 * </ul>
 *
 * <p>What {@link #get()} started stops in a JVM shutdown hook. Because Quarkus may load this class in more than one
 * class loader of the same JVM, {@link #get()} publishes what it resolved as system properties
 * ({@code dds.localstack.resolved.*}) and every later {@link #get()}, in any class loader, reuses it.
 */
public final class LocalServices implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalServices.class.getName());
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final String PUBLISHED = "dds.localstack.resolved.";
    /** A full counters' Redis refuses writes (and the API refuses calls) rather than drop a counter. */
    public static final String COUNTERS_POLICY = "noeviction";

    private static LocalServices instance;

    private final Settings settings;
    private final boolean publish;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private PostgresEndpoint postgres;
    private RedisEndpoint redis;
    private RedisEndpoint countersRedis;
    private String kafkaBootstrapServers;
    private KafkaBroker kafkaBroker;
    private boolean hookRegistered;
    private boolean closed;

    LocalServices(Settings settings, boolean publish) {
        this.settings = settings;
        this.publish = publish;
    }

    /** The JVM-wide instance, resolved from system properties and the environment. */
    public static synchronized LocalServices get() {
        if (instance == null) {
            instance = new LocalServices(Settings.system(), true);
        }
        return instance;
    }

    // ---- PostgreSQL

    public synchronized PostgresEndpoint postgres() {
        ensureOpen();
        if (postgres == null) {
            postgres = published("pg.port")
                    .map(port -> new PostgresEndpoint(published("pg.host").orElseThrow(), Integer.parseInt(port),
                            published("pg.user").orElseThrow(), published("pg.password").orElse(""),
                            published("pg.embedded").map(Boolean::parseBoolean).orElse(false)))
                    .orElseGet(this::resolvePostgres);
            publish("pg.host", postgres.host());
            publish("pg.port", Integer.toString(postgres.port()));
            publish("pg.user", postgres.username());
            publish("pg.password", postgres.password());
            publish("pg.embedded", Boolean.toString(postgres.embedded()));
        }
        return postgres;
    }

    public String jdbcUrl(String database) {
        return postgres().jdbcUrl(database);
    }

    public String reactiveUrl(String database) {
        return postgres().reactiveUrl(database);
    }

    public String username() {
        return postgres().username();
    }

    /** Empty when the server needs none. */
    public String password() {
        return postgres().password();
    }

    /** @return true if this call created the database */
    public boolean ensureDatabase(String name) {
        return postgres().ensureDatabase(name);
    }

    private PostgresEndpoint resolvePostgres() {
        if (settings.flag("DDS_EMBEDDED")) {
            return startEmbeddedPostgres("DDS_EMBEDDED=1");
        }
        Optional<String> host = settings.find("DDS_PG_HOST");
        Optional<String> port = settings.find("DDS_PG_PORT");
        PostgresEndpoint configured = new PostgresEndpoint(host.orElse("127.0.0.1"),
                port.map(LocalServices::port).orElse(5432), settings.get("DDS_PG_USER", "postgres"),
                settings.get("DDS_PG_PASSWORD", ""), false);
        Optional<String> failure = ServiceProbe.postgres(configured, PROBE_TIMEOUT);
        if (failure.isEmpty()) {
            LOG.log(Level.INFO, "Using {0}", configured);
            return configured;
        }
        if (host.isPresent() || port.isPresent()) {
            throw new IllegalStateException("PostgreSQL at " + configured.host() + ":" + configured.port()
                    + " (from DDS_PG_HOST/DDS_PG_PORT) does not answer: " + failure.get()
                    + ". Start it, unset DDS_PG_HOST/DDS_PG_PORT, or set DDS_EMBEDDED=1 for an embedded one.");
        }
        return startEmbeddedPostgres("nothing answers at 127.0.0.1:5432 (" + failure.get() + ")");
    }

    private PostgresEndpoint startEmbeddedPostgres(String why) {
        LOG.log(Level.INFO, "Starting an embedded PostgreSQL: {0}", why);
        registerShutdownHook();
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false)
                    .start();
            started.push(embedded);
            PostgresEndpoint endpoint = new PostgresEndpoint("127.0.0.1", embedded.getPort(), "postgres", "", true);
            LOG.log(Level.INFO, "Started {0}", endpoint);
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    // ---- Redis

    public synchronized RedisEndpoint redis() {
        ensureOpen();
        if (redis == null) {
            redis = published("redis.port")
                    .map(port -> new RedisEndpoint(published("redis.host").orElseThrow(), Integer.parseInt(port),
                            published("redis.embedded").map(Boolean::parseBoolean).orElse(false)))
                    .orElseGet(this::resolveRedis);
            publish("redis.host", redis.host());
            publish("redis.port", Integer.toString(redis.port()));
            publish("redis.embedded", Boolean.toString(redis.embedded()));
        }
        return redis;
    }

    /** {@code redis://host:port/<database>}. */
    public String redisUrl(int database) {
        return redis().url(database);
    }

    private RedisEndpoint resolveRedis() {
        if (settings.flag("DDS_EMBEDDED")) {
            return startEmbeddedRedis("DDS_EMBEDDED=1");
        }
        Optional<String> host = settings.find("DDS_REDIS_HOST");
        Optional<String> port = settings.find("DDS_REDIS_PORT");
        RedisEndpoint configured = new RedisEndpoint(host.orElse("127.0.0.1"),
                port.map(LocalServices::port).orElse(6379), false);
        Optional<String> failure = ServiceProbe.redis(configured.host(), configured.port(), PROBE_TIMEOUT);
        if (failure.isEmpty()) {
            LOG.log(Level.INFO, "Using {0}", configured);
            return configured;
        }
        if (host.isPresent() || port.isPresent()) {
            throw new IllegalStateException("Redis at " + configured.host() + ":" + configured.port()
                    + " (from DDS_REDIS_HOST/DDS_REDIS_PORT) does not answer: " + failure.get()
                    + ". Start it, unset DDS_REDIS_HOST/DDS_REDIS_PORT, or set DDS_EMBEDDED=1 for an embedded one.");
        }
        return startEmbeddedRedis("nothing answers at 127.0.0.1:6379 (" + failure.get() + ")");
    }

    private RedisEndpoint startEmbeddedRedis(String why) {
        LOG.log(Level.INFO, "Starting an embedded Redis: {0}", why);
        registerShutdownHook();
        EmbeddedRedis server = EmbeddedRedis.start(List.of());
        started.push(server);
        LOG.log(Level.INFO, "Started {0}", server);
        return server.endpoint();
    }

    // ---- the counters' Redis

    /**
     * The Redis of the API's counters (rate, quota, billed calls, idempotency keys): a server of its own whose
     * {@code maxmemory-policy} is {@code noeviction}, so that no pressure on the person cache can ever evict a
     * counter. {@code DDS_COUNTERS_REDIS_HOST}/{@code DDS_COUNTERS_REDIS_PORT} if set (it must answer), else an
     * embedded Redis started once per JVM, whatever {@code DDS_EMBEDDED} says: a machine's Redis is the cache's.
     */
    public synchronized RedisEndpoint countersRedis() {
        ensureOpen();
        if (countersRedis == null) {
            countersRedis = published("counters-redis.port")
                    .map(port -> new RedisEndpoint(published("counters-redis.host").orElseThrow(),
                            Integer.parseInt(port),
                            published("counters-redis.embedded").map(Boolean::parseBoolean).orElse(false)))
                    .orElseGet(this::resolveCountersRedis);
            publish("counters-redis.host", countersRedis.host());
            publish("counters-redis.port", Integer.toString(countersRedis.port()));
            publish("counters-redis.embedded", Boolean.toString(countersRedis.embedded()));
        }
        return countersRedis;
    }

    /** {@code redis://host:port/<database>} of {@link #countersRedis()}. */
    public String countersRedisUrl(int database) {
        return countersRedis().url(database);
    }

    private RedisEndpoint resolveCountersRedis() {
        Optional<String> host = settings.find("DDS_COUNTERS_REDIS_HOST");
        Optional<String> port = settings.find("DDS_COUNTERS_REDIS_PORT");
        if (host.isPresent() || port.isPresent()) {
            RedisEndpoint configured = new RedisEndpoint(host.orElse("127.0.0.1"),
                    port.map(LocalServices::port).orElse(6379), false);
            Optional<String> failure = ServiceProbe.redis(configured.host(), configured.port(), PROBE_TIMEOUT);
            if (failure.isPresent()) {
                throw new IllegalStateException("the counters' Redis at " + configured.host() + ":"
                        + configured.port() + " (from DDS_COUNTERS_REDIS_HOST/DDS_COUNTERS_REDIS_PORT) does not "
                        + "answer: " + failure.get() + ". Start it, or unset both for an embedded one.");
            }
            LOG.log(Level.INFO, "Using {0} for the counters", configured);
            return configured;
        }
        LOG.log(Level.INFO, "Starting an embedded Redis for the counters (noeviction)");
        registerShutdownHook();
        EmbeddedRedis server = EmbeddedRedis.start(List.of("maxmemory-policy " + COUNTERS_POLICY));
        started.push(server);
        LOG.log(Level.INFO, "Started {0} for the counters", server);
        return server.endpoint();
    }

    // ---- Kafka

    /** {@code KAFKA_BOOTSTRAP_SERVERS}, or the address of the in-JVM broker started on first call. */
    public synchronized String kafkaBootstrapServers() {
        ensureOpen();
        if (kafkaBootstrapServers == null) {
            kafkaBootstrapServers = published("kafka.bootstrap").orElseGet(this::resolveKafka);
            publish("kafka.bootstrap", kafkaBootstrapServers);
        }
        return kafkaBootstrapServers;
    }

    /** The in-JVM broker, if this instance started one. */
    public synchronized Optional<KafkaBroker> kafkaBroker() {
        return Optional.ofNullable(kafkaBroker);
    }

    /** Creates a topic on whichever broker is in use, unless it exists. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        KafkaTopics.ensure(kafkaBootstrapServers(), List.of(new TopicSpec(name, partitions, configs)));
    }

    private String resolveKafka() {
        Optional<String> configured = settings.find("KAFKA_BOOTSTRAP_SERVERS");
        if (configured.isPresent()) {
            LOG.log(Level.INFO, "Using Kafka at {0}", configured.get());
            return configured.get();
        }
        registerShutdownHook();
        kafkaBroker = KafkaBroker.start();
        started.push(kafkaBroker);
        LOG.log(Level.INFO, "Started {0}", kafkaBroker);
        return kafkaBroker.bootstrapServers();
    }

    // ---- lifecycle

    /** Stops what this instance started, newest first. Servers it found running are left alone. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Could not stop " + service, e);
            }
        }
        if (publish) {
            System.getProperties().stringPropertyNames().stream()
                    .filter(name -> name.startsWith(PUBLISHED))
                    .forEach(System::clearProperty);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("these local services are closed");
        }
    }

    private void registerShutdownHook() {
        if (!hookRegistered) {
            hookRegistered = true;
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "dds-local-services-stop"));
        }
    }

    private Optional<String> published(String key) {
        return publish ? Optional.ofNullable(System.getProperty(PUBLISHED + key)) : Optional.empty();
    }

    private void publish(String key, String value) {
        if (publish) {
            System.setProperty(PUBLISHED + key, value);
        }
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number: " + text, e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
