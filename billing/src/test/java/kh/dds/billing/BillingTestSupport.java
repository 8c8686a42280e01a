package kh.dds.billing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import kh.dds.localstack.LocalServices;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What billing's tests do as the API would: contracts, tariffs and clients in the API's tables (as its admin API
 * writes them), tokens signed as its token endpoint signs them, and lookup records on its topic.
 */
public final class BillingTestSupport {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private BillingTestSupport() {
    }

    public static Connection connect() throws Exception {
        return LocalServices.get().postgres().connect(BillingTestResource.DATABASE);
    }

    public static long count(String sql, Object... arguments) throws Exception {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    public static void execute(String sql, Object... arguments) throws Exception {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            statement.execute();
        }
    }

    /** A tariff as the admin API stores it; {@code products} in its JSON form. */
    public static UUID tariff(String products) throws Exception {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO api.tariff (id, name, currency, products, created_at) VALUES (?, ?, 'KHR', ?::jsonb, now())",
                id, "test tariff " + id, products);
        return id;
    }

    /** An active BANK contract on {@code tariffId} (none if null) from {@code validFrom}. */
    public static UUID contract(String organisation, UUID tariffId, LocalDate validFrom) throws Exception {
        UUID id = UUID.randomUUID();
        execute("""
                INSERT INTO api.contract (id, organisation, kind, valid_from, status, products, purposes, data_policy,
                    rate_limit_per_second, tariff_id, min_cell_size, operator_id_required, created_at, updated_at,
                    row_version)
                VALUES (?, ?, 'BANK', ?, 'ACTIVE', '["VERIFY","LOOKUP"]', '["KYC_ACCOUNT_OPENING"]',
                    '{"fields":["familyName"]}', 100, ?, 10, false, now(), now(), 0)""",
                id, organisation, validFrom, tariffId);
        if (tariffId != null) {
            assignTariff(id, tariffId, validFrom);
        }
        return id;
    }

    public static void assignTariff(UUID contractId, UUID tariffId, LocalDate from) throws Exception {
        execute("INSERT INTO api.contract_tariff (contract_id, effective_from, tariff_id, assigned_at) "
                + "VALUES (?, ?, ?, now())", contractId, from, tariffId);
    }

    /** A client of {@code contractId} (null: one of the registry's own) with {@code scopes}. */
    public static String client(UUID contractId, String... scopes) throws Exception {
        String clientId = "cl-billing-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < scopes.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(scopes[i]).append('"');
        }
        execute("""
                INSERT INTO api.api_client (client_id, contract_id, scopes, secret_hash, status, created_at,
                    row_version) VALUES (?, ?, ?::jsonb, 'not-used-by-billing', 'ACTIVE', now(), 0)""",
                clientId, contractId, json.append(']').toString());
        return clientId;
    }

    public static void revoke(String clientId) throws Exception {
        execute("UPDATE api.api_client SET status = 'REVOKED', revoked_at = now() WHERE client_id = ?", clientId);
    }

    /** A token as the API's token endpoint issues it. */
    public static String token(String clientId, UUID contractId, String... scopes) {
        return typedToken("at+jwt", clientId, contractId, scopes);
    }

    /** The same claims under another header type (an ID token, a plain JWT), which no service may take. */
    public static String typedToken(String type, String clientId, UUID contractId, String... scopes) {
        try {
            PrivateKey key = KeyUtils.decodePrivateKey(Files.readString(
                    Path.of(System.getProperty(BillingTestResource.PRIVATE_KEY_PROPERTY))));
            var claims = Jwt.issuer("https://dds.gov.kh/oauth").audience("dds-api").subject(clientId)
                    .claim("client_id", clientId).claim("scope", String.join(" ", scopes)).expiresIn(300);
            if (contractId != null) {
                claims.claim("contract_id", contractId.toString());
            }
            return claims.jws().type(type).keyId(BillingTestResource.KEY_ID).sign(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A lookup record of {@code contractId} at {@code at}, with a fresh lookup id. */
    public static LookupRecord record(UUID contractId, Instant at, Product product, boolean billable) {
        // a UUIDv7-shaped id: the time first, then a counter, as the API's LookupIds
        long millis = at.toEpochMilli();
        long high = (millis << 16) | 0x7000L | (SEQUENCE.incrementAndGet() & 0x0fffL);
        UUID lookupId = new UUID(high, 0x8000000000000000L | (UUID.randomUUID().getLeastSignificantBits() >>> 2));
        return new LookupRecord(lookupId.toString(), at, contractId.toString(), "cl-test", "teller-1",
                "KYC_ACCOUNT_OPENING", product, "1000000028", billable ? "ANSWERED" : "REFUSED",
                billable ? "MATCH" : "unknown-purpose", List.of(), billable ? 200 : 400, billable, 900);
    }

    public static void publish(List<LookupRecord> records) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.get().kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (LookupRecord record : records) {
                producer.send(new ProducerRecord<>(BillingTestResource.TOPIC, record.lookupId(),
                        LedgerExport.JSON.writeValueAsBytes(record)));
            }
            producer.flush();
        }
    }

    /** Billable units metered for the contract. */
    public static long metered(UUID contractId) throws Exception {
        return count("SELECT coalesce(sum(billable), 0) FROM billing.usage_daily WHERE contract_id = ?", contractId);
    }

    public static long meteredNonBillable(UUID contractId) throws Exception {
        return count("SELECT coalesce(sum(non_billable), 0) FROM billing.usage_daily WHERE contract_id = ?",
                contractId);
    }

    static void statement(String sql) throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
