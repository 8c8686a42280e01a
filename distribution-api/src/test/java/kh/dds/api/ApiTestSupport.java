package kh.dds.api;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.localstack.PostgresEndpoint;
import kh.dds.localstack.ServiceRole;
import kh.dds.localstack.TopicContents;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.Topics;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the API's tests do as the replica (rows in its read model), as an administrator (contracts and clients
 * through the admin API), as a relying party (tokens) and as an auditor (lookup records on their topic).
 */
public final class ApiTestSupport {

    /** Every API test class names the same test resource arguments, so that one Quarkus application serves them. */
    public static final String DATABASE = "dds_api_test";
    public static final String REDIS_DB = "2";
    public static final String TOPICS = Topics.PERSON_CHANGES + ":4:cleanup.policy=compact;"
            + Topics.LOOKUP_RECORDS + ":4;" + Topics.LOOKUP_RECORDS + ".dlq:1;" + Topics.PERSON_NOTIFICATIONS + ":4";
    public static final String ADMIN_CLIENT = "dds-admin";
    public static final String ADMIN_SECRET = "test-admin-secret";

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Random RANDOM = new Random();
    private static boolean readModelReady;

    private ApiTestSupport() {
    }

    /** A relying party: its contract, one client of it, and a token of that client. */
    public record Party(String contractId, String clientId, String clientSecret, String token) {
    }

    // ------------------------------------------------------------------ the replica's read model

    /** The replica's read model, exactly as the replica migrates it (the SQL of its migrations, from identity-schema). */
    public static synchronized void readModel() throws Exception {
        if (readModelReady) {
            return;
        }
        StringBuilder migrations = new StringBuilder();
        for (String migration : List.of("V1__replica.sql", "V2__held_event_problem.sql", "V6__population_history.sql")) {
            try (InputStream in = ApiTestSupport.class.getResourceAsStream("/db/replica/" + migration)) {
                migrations.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append(";\n");
            }
        }
        String sql = migrations.toString();
        try (Connection connection = postgres().connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS replica CASCADE");
        }
        // the schema again, owned by the replica's role and readable by the API's (the API's tests log in as dds_api)
        postgres().ensureRoles(DATABASE);
        try (Connection connection = postgres().connect(DATABASE); Statement statement = connection.createStatement()) {
            // created as the replica's Flyway creates them, so that the API's read grant covers them
            statement.execute("SET ROLE " + ServiceRole.REPLICA.roleName());
            statement.execute("SET search_path TO replica");
            statement.execute(sql);
            statement.execute("UPDATE replica.replica_state SET last_event_at = TIMESTAMPTZ '2026-11-30T23:00:00Z'");
        }
        readModelReady = true;
    }

    public static String newKidc() {
        synchronized (RANDOM) {
            return Kidc.random(RANDOM, KidcKind.CITIZEN).value();
        }
    }

    /** SOK DARA / សុខ ដារ៉ា, male, born 1990-05-17 in province 17, living in 12, national ID 010203040. */
    public static String sokDara() {
        return """
                {"familyNameKh":"សុខ","givenNameKh":"ដារ៉ា","familyNameLatin":"SOK","givenNameLatin":"DARA","sex":"M",
                 "dateOfBirth":"1990-05-17","placeOfBirth":{"province":"17","district":"1702","commune":"170203"},
                 "nationality":"KHM","citizenship":"KHM","maritalStatus":"MARRIED","parents":["1000000028"],
                 "children":[],"address":{"province":"12","district":"1201","commune":"120101","village":"12010101"},
                 "documents":[{"type":"NATIONAL_ID","number":"010203040","issuedOn":"2020-01-15",
                               "expiresOn":"2030-01-14","status":"VALID"}]}""";
    }

    /** Writes a person's row as the replica would. */
    public static void person(String kidc, String status, String record, LocalDate dateOfDeath, String survivor)
            throws Exception {
        readModel();
        JsonNode parsed = JSON.readTree(record);
        try (Connection connection = postgres().connect(DATABASE);
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO replica.person (kidc, version, status, sex, birth_date, birth_precision,
                                                 address_province, date_of_death, survivor_kidc, record, last_event_at)
                     VALUES (?, 1, ?, ?, ?, 'D', ?, ?, ?, ?::jsonb, ?)
                     ON CONFLICT (kidc) DO UPDATE SET version = replica.person.version + 1, status = EXCLUDED.status,
                         record = EXCLUDED.record, date_of_death = EXCLUDED.date_of_death,
                         survivor_kidc = EXCLUDED.survivor_kidc, last_event_at = EXCLUDED.last_event_at""")) {
            upsert.setString(1, kidc);
            upsert.setString(2, status);
            upsert.setString(3, parsed.path("sex").asText());
            upsert.setDate(4, Date.valueOf(PartialDate.parse(parsed.path("dateOfBirth").asText()).earliest()));
            upsert.setString(5, parsed.path("address").path("province").asText());
            upsert.setDate(6, dateOfDeath == null ? null : Date.valueOf(dateOfDeath));
            upsert.setString(7, survivor);
            upsert.setString(8, record);
            upsert.setTimestamp(9, Timestamp.from(Instant.parse("2026-11-23T08:00:00Z")));
            upsert.executeUpdate();
        }
    }

    public static String activePerson() throws Exception {
        String kidc = newKidc();
        person(kidc, "ACTIVE", sokDara(), null, null);
        return kidc;
    }

    public static PostgresEndpoint postgres() {
        return LocalServicesResource.services().postgres();
    }

    // ------------------------------------------------------------------ tokens and administration

    public static Response tokenResponse(String clientId, String secret, String scope) {
        var request = given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId)
                .formParam("client_secret", secret);
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post("/oauth/token");
    }

    public static String token(String clientId, String secret) {
        return tokenResponse(clientId, secret, null).then().statusCode(200).extract().path("access_token");
    }

    public static String adminToken() {
        return token(ADMIN_CLIENT, ADMIN_SECRET);
    }

    /** A contract with these terms (defaults filled in), created through the admin API; returns its id. */
    public static String contract(Map<String, Object> terms) {
        Map<String, Object> body = new HashMap<>();
        body.put("organisation", "Test Bank " + RANDOM.nextInt(1_000_000));
        body.put("kind", "BANK");
        body.put("validFrom", "2026-01-01");
        body.put("products", List.of("VERIFY", "LOOKUP"));
        body.put("purposes", List.of("KYC_ACCOUNT_OPENING", "FRAUD_INVESTIGATION"));
        body.put("dataPolicy", Map.of("fields", List.of("familyName", "givenName", "dateOfBirth")));
        body.put("rateLimitPerSecond", 1000);
        body.put("operatorIdRequired", true);
        body.putAll(terms);
        return given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/contracts").then().statusCode(201).extract().path("id");
    }

    /** A client of {@code contractId} with {@code scopes}: its id and secret. */
    public static String[] client(String contractId, String... scopes) {
        Response response = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("scopes", List.of(scopes)))
                .post("/v1/admin/contracts/" + contractId + "/clients");
        response.then().statusCode(201);
        return new String[] {response.path("clientId"), response.path("clientSecret")};
    }

    public static Party party(Map<String, Object> terms, String... scopes) {
        String contractId = contract(terms);
        String[] credentials = client(contractId, scopes.length == 0 ? new String[] {"verify", "lookup"} : scopes);
        return new Party(contractId, credentials[0], credentials[1], token(credentials[0], credentials[1]));
    }

    /** A verification of the family name by {@code party}'s teller, with an {@code Idempotency-Key} when given. */
    public static Response verify(Party party, String kidc, String idempotencyKey, String family) {
        var request = given().auth().oauth2(party.token()).header("X-Operator-Id", "teller-1")
                .contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\",\"claims\":{\"familyName\":\""
                        + family + "\"}}");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/verifications");
    }

    // ------------------------------------------------------------------ lookup records

    /** Every lookup record on the topic so far, as JSON, that satisfies {@code filter}. */
    public static List<JsonNode> lookupRecords(Predicate<JsonNode> filter) {
        return lookupRecords(LocalServicesResource.services().kafkaBootstrapServers(), filter);
    }

    /** The same, from the broker at {@code bootstrapServers}. */
    public static List<JsonNode> lookupRecords(String bootstrapServers, Predicate<JsonNode> filter) {
        List<JsonNode> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicContents.all(bootstrapServers, Topics.LOOKUP_RECORDS,
                Duration.ofSeconds(15))) {
            JsonNode json = readable(record.value());
            if (json != null && filter.test(json)) {
                records.add(json);
            }
        }
        return records;
    }

    /** A record as JSON; {@code null} for one that is not (HostileInputTest writes such records on purpose). */
    private static JsonNode readable(byte[] value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The lookup records of one contract. */
    public static List<JsonNode> lookupRecordsOf(String contractId) {
        return lookupRecords(record -> contractId.equals(record.path("contractId").asText()));
    }

    /** The one lookup record of a lookup id (failing when there is none, or more than one). */
    public static JsonNode lookupRecord(String lookupId) {
        List<JsonNode> found = lookupRecords(record -> lookupId.equals(record.path("lookupId").asText()));
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " lookup records for " + lookupId + ", expected exactly one");
        }
        return found.get(0);
    }
}
