package kh.dds.api.person;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import kh.dds.api.ApiTestSupport;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.schema.event.PersonChange;
import kh.dds.schema.event.PersonStatus;
import kh.dds.schema.event.Topics;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The person hot path against real PostgreSQL (the replica's read model), Redis and Kafka (the replica's change
 * signals): read-through, cached in front, evicted by the signal, never refilled with an older version.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = ApiTestSupport.DATABASE),
        @ResourceArg(name = "redisDb", value = ApiTestSupport.REDIS_DB),
        @ResourceArg(name = "topics", value = ApiTestSupport.TOPICS)})
class PersonDirectoryTest {

    private static final String DATABASE = ApiTestSupport.DATABASE;
    private static final Random RANDOM = new Random();

    @Inject
    PersonDirectory directory;
    @Inject
    PersonCache cache;
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    /** The replica's read model, exactly as the replica migrates it (the SQL comes from identity-schema). */
    @BeforeAll
    static void readModel() throws Exception {
        ApiTestSupport.readModel();
    }

    @Test
    void aPersonIsReadThroughThenServedFromTheCacheUntilTheChangeSignal() throws Exception {
        String kidc = newKidc();
        upsert(kidc, 1, "SOK");
        assertEquals("SOK", family(find(kidc)));
        assertTrue(redis.key().exists(PersonCache.key(kidc)), "the read filled the cache");

        // the replica changes the row; until its signal arrives, the cache answers (it is in front)
        upsert(kidc, 2, "CHAN");
        assertEquals(1, find(kidc).version());

        signal(kidc, 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> find(kidc).version() == 2);
        assertEquals("CHAN", family(find(kidc)));
        assertEquals(Instant.parse("2026-11-23T08:00:02Z"), find(kidc).dataAsOf());
    }

    @Test
    void signalsThatAreNotOnesArePassedOverAndTheNextStillEvicts() throws Exception {
        String kidc = newKidc();
        upsert(kidc, 1, "SOK");
        assertEquals("SOK", family(find(kidc)));
        upsert(kidc, 2, "CHAN");
        for (String poison : new String[] {"not json", "{\"kidc\":\"100\\u00000028\",\"version\":1}",
                "{\"kidc\":42,\"version\":\"x\"}", "[".repeat(10_000), "S".repeat(100_000), null}) {
            send(kidc, poison);
        }
        signal(kidc, 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> find(kidc).version() == 2);
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anOlderVersionIsNeverPutBackAfterASignal() throws Exception {
        String kidc = newKidc();
        upsert(kidc, 3, "KEO");
        ReplicaPerson three = find(kidc);
        cache.changed(kidc, 4).await().atMost(Duration.ofSeconds(5));
        assertFalse(redis.key().exists(PersonCache.key(kidc)), "the signal evicted version 3");
        assertFalse(cache.fill(three).await().atMost(Duration.ofSeconds(5)),
                "a read that raced with the change cannot refill version 3");
        assertTrue(cache.get(kidc).await().atMost(Duration.ofSeconds(5)).isEmpty());

        upsert(kidc, 4, "LY");
        assertEquals("LY", family(find(kidc)));
        assertFalse(cache.fill(three).await().atMost(Duration.ofSeconds(5)), "nor over a newer cached copy");
        assertEquals(4, find(kidc).version());
    }

    @Test
    void unknownAndRecordlessPersonsAreAbsentAndNotCached() throws Exception {
        String unknown = newKidc();
        assertTrue(directory.find(unknown).await().atMost(Duration.ofSeconds(5)).isEmpty());
        assertFalse(redis.key().exists(PersonCache.key(unknown)));

        String recordless = newKidc();
        try (Connection connection = postgres().connect(DATABASE);
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO replica.person (kidc, version, last_event_at) VALUES (?, 1, now())""")) {
            insert.setString(1, recordless);
            insert.executeUpdate();
        }
        assertTrue(directory.find(recordless).await().atMost(Duration.ofSeconds(5)).isEmpty());
    }

    @Test
    void aCachedPersonExpires() throws Exception {
        String kidc = newKidc();
        upsert(kidc, 1, "MEAS");
        find(kidc);
        long ttl = redis.key().ttl(PersonCache.key(kidc));
        assertTrue(ttl > 0 && ttl <= Duration.ofMinutes(5).toSeconds(), "expires within the configured 5 minutes: " + ttl);
    }

    private ReplicaPerson find(String kidc) {
        Optional<ReplicaPerson> person = directory.find(kidc).await().atMost(Duration.ofSeconds(5));
        return person.orElseThrow();
    }

    private static String family(ReplicaPerson person) {
        return person.record().get("familyNameLatin").asText();
    }

    private static String newKidc() {
        synchronized (RANDOM) {
            return Kidc.random(RANDOM, KidcKind.CITIZEN).value();
        }
    }

    private static PostgresEndpoint postgres() {
        return LocalServicesResource.services().postgres();
    }

    /** Writes the row as the replica would (the record in the registry's field names). */
    private static void upsert(String kidc, long version, String familyLatin) throws Exception {
        String record = """
                {"familyNameKh":"សុខ","givenNameKh":"ដារ៉ា","familyNameLatin":"%s","givenNameLatin":"DARA","sex":"M",
                 "dateOfBirth":"1990-05-17","nationality":"KHM","address":{"province":"12"}}""".formatted(familyLatin);
        try (Connection connection = postgres().connect(DATABASE);
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO replica.person (kidc, version, status, sex, birth_date, birth_precision,
                                                 address_province, record, last_event_at)
                     VALUES (?, ?, 'ACTIVE', 'M', DATE '1990-05-17', 'D', '12', ?::jsonb, ?)
                     ON CONFLICT (kidc) DO UPDATE SET version = EXCLUDED.version, record = EXCLUDED.record,
                         last_event_at = EXCLUDED.last_event_at""")) {
            upsert.setString(1, kidc);
            upsert.setLong(2, version);
            upsert.setString(3, record);
            upsert.setTimestamp(4, Timestamp.from(Instant.parse("2026-11-23T08:00:00Z").plusSeconds(version)));
            upsert.executeUpdate();
        }
    }

    private void signal(String kidc, long version) throws Exception {
        send(kidc, mapper.writeValueAsString(new PersonChange(kidc, version, PersonStatus.ACTIVE,
                Instant.parse("2026-11-23T08:00:00Z").plusSeconds(version))));
    }

    private static void send(String kidc, String value) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServicesResource.services().kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.PERSON_CHANGES, kidc, value)).get();
        }
    }
}
