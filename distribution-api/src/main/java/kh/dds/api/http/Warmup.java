package kh.dds.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kh.dds.api.audit.AuditTrail;
import kh.dds.api.call.UsageLimits;
import kh.dds.api.verification.VerificationResponse;
import kh.dds.api.verification.matching.AddressClaim;
import kh.dds.api.verification.matching.Claims;
import kh.dds.api.verification.matching.Conditions;
import kh.dds.api.verification.matching.IdentityMatcher;
import kh.dds.api.verification.matching.RegistryPerson;
import kh.dds.api.verification.matching.VerificationOutcome;
import kh.dds.schema.event.PersonStatus;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * A node is ready only once it can answer at full speed: right after a start every PostgreSQL and Redis connection
 * would be opened by the first calls (PostgreSQL's SCRAM handshake alone costs milliseconds of CPU), the audit
 * producer would fetch the topic's metadata while they wait, and the verification matcher and the JSON writer would
 * run interpreted — so a node that took a full share of traffic at once answered its first second slowly, and under
 * an open load that is an error burst. Before the readiness check reports UP, this:
 * <ol>
 *   <li>opens every connection of both PostgreSQL pools and both Redis pools (one concurrent round trip each);</li>
 *   <li>connects the audit producer and reads the topic's metadata;</li>
 *   <li>runs the matcher and the answer's JSON {@code api.warmup.iterations} times over synthetic persons and claims
 *       (Khmer and Latin names, transliterations, partial and wrong dates, predicates, a deceased person), nothing
 *       of which is stored, sent or audited — no call is made.</li>
 * </ol>
 * A step that fails (a store away) is logged and the node becomes ready all the same: the other checks say whether
 * its stores answer, and a node must not stay out of service for want of a warm-up.
 */
@Readiness
@ApplicationScoped
public class Warmup implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(Warmup.class);

    private final Pool pool;
    private final Pool personReads;
    private final ReactiveRedisDataSource cache;
    private final ReactiveRedisDataSource counters;
    private final AuditTrail audit;
    private final ObjectMapper mapper;
    private final int iterations;
    private final int poolSize;
    private final int personReadsSize;
    private final int redisSize;
    private volatile boolean done;
    private volatile String summary = "starting";

    public Warmup(Pool pool, @ReactiveDataSource("person-reads") Pool personReads, ReactiveRedisDataSource cache,
                  @RedisClientName(UsageLimits.CLIENT) ReactiveRedisDataSource counters, AuditTrail audit,
                  ObjectMapper mapper,
                  @ConfigProperty(name = "api.warmup.iterations", defaultValue = "20000") int iterations,
                  @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "8") int poolSize,
                  @ConfigProperty(name = "quarkus.datasource.person-reads.reactive.max-size", defaultValue = "16")
                  int personReadsSize,
                  @ConfigProperty(name = "quarkus.redis.max-pool-size", defaultValue = "6") int redisSize) {
        this.pool = pool;
        this.personReads = personReads;
        this.cache = cache;
        this.counters = counters;
        this.audit = audit;
        this.mapper = mapper;
        this.iterations = iterations;
        this.poolSize = poolSize;
        this.personReadsSize = personReadsSize;
        this.redisSize = redisSize;
    }

    void start(@Observes StartupEvent event) {
        long started = System.nanoTime();
        long[] connected = new long[1];
        Uni.combine().all().unis(
                        step("PostgreSQL", open(pool, poolSize)),
                        step("PostgreSQL person reads", open(personReads, personReadsSize)),
                        step("Redis", ping(cache, redisSize)),
                        step("counters' Redis", ping(counters, redisSize)),
                        step("audit producer", audit.connect().replaceWithVoid()))
                .discardItems()
                .invoke(() -> connected[0] = System.nanoTime())
                .chain(() -> step("matcher", Uni.createFrom().item(this::exercise)
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid()))
                .subscribe().with(ignored -> {
                    long end = System.nanoTime();
                    summary = "warmed in " + Duration.ofNanos(end - started).toMillis() + " ms (connections "
                            + Duration.ofNanos(connected[0] - started).toMillis() + " ms, matcher "
                            + Duration.ofNanos(end - connected[0]).toMillis() + " ms)";
                    done = true;
                    LOG.infof("ready: %s (%d matcher iterations)", summary, iterations);
                });
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("warm-up").status(done).withData("state", summary).build();
    }

    boolean done() {
        return done;
    }

    /** A step that cannot fail the warm-up: its failure is logged. */
    private static Uni<Void> step(String name, Uni<Void> work) {
        return work.ifNoItem().after(Duration.ofSeconds(20)).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("warm-up: %s not warmed: %s", name, failure.toString());
                    return null;
                });
    }

    private static Uni<Void> open(Pool pool, int connections) {
        List<Uni<Void>> queries = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            // a transaction holds its connection until it ends, so that each query takes a connection of its own
            queries.add(pool.withTransaction(connection -> connection.query("SELECT pg_sleep(0.05)").execute())
                    .replaceWithVoid());
        }
        return Uni.join().all(queries).andFailFast().replaceWithVoid();
    }

    private static Uni<Void> ping(ReactiveRedisDataSource redis, int connections) {
        List<Uni<Void>> pings = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            pings.add(redis.execute("PING").replaceWithVoid());
        }
        return Uni.join().all(pings).andFailFast().replaceWithVoid();
    }

    /** The matcher and the answer's JSON over synthetic persons and claims; returns a checksum so none is elided. */
    long exercise() {
        IdentityMatcher matcher = new IdentityMatcher();
        LocalDate today = LocalDate.of(2026, 12, 1);
        List<Optional<RegistryPerson>> persons = List.of(
                Optional.of(new RegistryPerson(person("សុខ", "ដារ៉ា", "SOK", "DARA", "1990-05-17", "M"),
                        PersonStatus.ACTIVE, null)),
                Optional.of(new RegistryPerson(person("ចាន់", "សុភា", "CHAN", "SOPHEA", "1957-12", "F"),
                        PersonStatus.ACTIVE, null)),
                Optional.of(new RegistryPerson(person("លី", "រិទ្ធី", "LY", "RITHY", "1944", "M"),
                        PersonStatus.DECEASED, LocalDate.of(2020, 3, 1))),
                Optional.empty());
        List<Claims> claims = List.of(
                new Claims("SOK", "DARA", "1990-05-17", "M", null, new AddressClaim("12", null, null, null)),
                new Claims("SOKH", "DAARA", "1990-05", null, "010203040", null),
                new Claims("សុខ", "ដារ៉ា", "1990-05-17", null, null, null),
                new Claims("CHANN", "SOPHEA", "1957-12-29", "F", null, null),
                new Claims("LY", "RITHI", "1971-01-01", null, null, new AddressClaim("12", "1201", null, null)));
        List<Conditions> conditions = List.of(Conditions.none(), new Conditions(18, true, "12"));
        long checksum = 0;
        for (int i = 0; i < iterations; i++) {
            VerificationOutcome outcome = matcher.verify(persons.get(i % persons.size()),
                    claims.get(i % claims.size()), conditions.get(i % conditions.size()), today);
            VerificationResponse response = new VerificationResponse("018f0000-0000-7000-8000-000000000000",
                    "warm-up", outcome.kidcStatus(), outcome.decision(), outcome.claims(),
                    i % 2 == 0 ? null : outcome.conditions(), Instant.EPOCH);
            try {
                checksum += mapper.writeValueAsString(response).length();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return checksum;
    }

    private ObjectNode person(String familyKh, String givenKh, String familyLatin, String givenLatin, String birth,
                              String sex) {
        ObjectNode person = mapper.createObjectNode();
        person.put("familyNameKh", familyKh).put("givenNameKh", givenKh).put("familyNameLatin", familyLatin)
                .put("givenNameLatin", givenLatin).put("dateOfBirth", birth).put("sex", sex)
                .put("nationality", "KHM").put("citizenship", "KHM").put("maritalStatus", "MARRIED");
        person.putObject("address").put("province", "12").put("district", "1201").put("commune", "120101")
                .put("village", "12010101");
        ObjectNode document = person.putArray("documents").addObject();
        document.put("type", "NATIONAL_ID").put("number", "010203040").put("issuedOn", "2020-01-15")
                .put("expiresOn", "2030-01-14").put("status", "VALID");
        return person;
    }
}
