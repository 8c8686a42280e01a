package kh.dds.api.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import kh.dds.api.call.LookupIds;
import kh.dds.api.contract.DataPolicyField;

/**
 * {@code api.notification} and the matching of life events against {@code api.subscription}: by KIdC, through its
 * index, whatever the number of subscriptions. Every read for a contract names the contract.
 */
@ApplicationScoped
public class NotificationStore {

    public static final String COLUMNS = """
            id, notification_id, contract_id, kidc, sequence, type, body, fields_disclosed::text AS fields_disclosed,
            lookup_id, delivered_at, delivered_by, audited_at, webhook_state, attempts, created_at, last_error""";

    private static final String MATCH = """
            SELECT s.contract_id, s.kidc, k.data_policy::text AS data_policy,
                   (w.contract_id IS NOT NULL) AS has_webhook
            FROM api.subscription s
            JOIN api.contract k ON k.id = s.contract_id
            LEFT JOIN api.webhook_endpoint w ON w.contract_id = s.contract_id
            WHERE s.kidc = ANY($1) AND k.products @> '["NOTIFY"]'::jsonb""";

    private static final String CREATE = """
            INSERT INTO api.notification (notification_id, contract_id, event_id, kidc, sequence, type, body,
                                          fields_disclosed, webhook_state, next_attempt_at)
            SELECT n, c, e, k, s, t, b, f::jsonb, w, CASE WHEN w = 'PENDING' THEN now() END
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                        $8::text[], $9::text[]) WITH ORDINALITY AS u(n, c, e, k, s, t, b, f, w, o)
            ORDER BY o
            ON CONFLICT (contract_id, event_id) DO NOTHING""";

    private static final String FEED = "SELECT " + COLUMNS + " " + """
             FROM api.notification WHERE contract_id = $1 AND id > $2 ORDER BY id LIMIT $3""";

    private static final String DELIVER = """
            UPDATE api.notification n SET delivered_at = $2, delivered_by = $3, lookup_id = u.l
            FROM unnest($1::bigint[], $4::uuid[]) AS u(i, l)
            WHERE n.id = u.i AND n.delivered_at IS NULL""";

    private static final String BY_IDS = "SELECT " + COLUMNS + " FROM api.notification WHERE id = ANY($1) ORDER BY id";

    private static final String AUDITED = "UPDATE api.notification SET audited_at = now() WHERE id = ANY($1)";

    private static final String UNAUDITED = "SELECT " + COLUMNS + " " + """
             FROM api.notification WHERE delivered_at IS NOT NULL AND audited_at IS NULL
               AND delivered_at < now() - interval '5 seconds' ORDER BY id LIMIT 1000""";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** A contract subscribed to a KIdC, with what its notifications may carry and whether it has a webhook. */
    public record Match(UUID contractId, String kidc, List<DataPolicyField> policy, boolean hasWebhook) {
    }

    /** A notification to create. */
    public record New(UUID notificationId, UUID contractId, UUID eventId, String kidc, long sequence, String type,
                      String body, List<String> fieldsDisclosed, boolean webhook) {
    }

    private final Pool pool;
    private final ObjectMapper mapper;

    public NotificationStore(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<List<Match>> match(Collection<String> kidcs) {
        return pool.preparedQuery(MATCH).execute(Tuple.of(kidcs.toArray(String[]::new))).map(rows -> {
            List<Match> matches = new ArrayList<>(rows.size());
            for (Row row : rows) {
                List<DataPolicyField> policy = strings(row.getString("data_policy")).stream()
                        .flatMap(name -> DataPolicyField.parse(name).stream()).toList();
                matches.add(new Match(row.getUUID("contract_id"), row.getString("kidc"), policy,
                        row.getBoolean("has_webhook")));
            }
            return matches;
        });
    }

    /** Creates the notifications, in order; one already there (the same life event again) is left as it is. */
    public Uni<Void> create(List<New> notifications) {
        if (notifications.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = notifications.size();
        UUID[] ids = new UUID[n];
        UUID[] contracts = new UUID[n];
        UUID[] events = new UUID[n];
        String[] kidcs = new String[n];
        Long[] sequences = new Long[n];
        String[] types = new String[n];
        String[] bodies = new String[n];
        String[] fields = new String[n];
        String[] states = new String[n];
        for (int i = 0; i < n; i++) {
            New each = notifications.get(i);
            ids[i] = each.notificationId();
            contracts[i] = each.contractId();
            events[i] = each.eventId();
            kidcs[i] = each.kidc();
            sequences[i] = each.sequence();
            types[i] = each.type();
            bodies[i] = each.body();
            fields[i] = json(each.fieldsDisclosed());
            states[i] = each.webhook() ? "PENDING" : "NONE";
        }
        return pool.preparedQuery(CREATE)
                .execute(Tuple.tuple(List.of(ids, contracts, events, kidcs, sequences, types, bodies, fields, states)))
                .replaceWithVoid();
    }

    /** A contract's notifications after the cursor, in order. */
    public Uni<List<Notification>> feed(UUID contractId, long after, int limit) {
        return pool.preparedQuery(FEED).execute(Tuple.of(contractId, after, limit)).map(NotificationStore::rows);
    }

    /**
     * Marks as delivered, at {@code at} by {@code by}, those of these notifications not delivered before, each with
     * the lookup id of its one lookup record; gives the notifications as they now stand.
     */
    public Uni<List<Notification>> delivered(List<Long> ids, Instant at, String by) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
        UUID[] lookupIds = new UUID[ids.size()];
        for (int i = 0; i < lookupIds.length; i++) {
            lookupIds[i] = LookupIds.next(at.toEpochMilli());
        }
        Long[] keys = ids.toArray(Long[]::new);
        return pool.preparedQuery(DELIVER).execute(Tuple.of(keys, time, by, lookupIds))
                .chain(() -> pool.preparedQuery(BY_IDS).execute(Tuple.of((Object) keys)))
                .map(NotificationStore::rows);
    }

    public Uni<Void> audited(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(AUDITED).execute(Tuple.of((Object) ids.toArray(Long[]::new))).replaceWithVoid();
    }

    /** Delivered a while ago and still not audited (the node that delivered them stopped before their record). */
    public Uni<List<Notification>> unaudited() {
        return pool.query(UNAUDITED).execute().map(NotificationStore::rows);
    }

    /** The notifications of a result that selected {@link #COLUMNS}. */
    public static List<Notification> rowsOf(RowSet<Row> rows) {
        return rows(rows);
    }

    static List<Notification> rows(RowSet<Row> rows) {
        List<Notification> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(row(row));
        }
        return list;
    }

    static Notification row(Row row) {
        return new Notification(row.getLong("id"), row.getUUID("notification_id"), row.getUUID("contract_id"),
                row.getString("kidc"), row.getLong("sequence"), row.getString("type"), row.getString("body"),
                parseStrings(row.getString("fields_disclosed")), row.getUUID("lookup_id"),
                instant(row.getOffsetDateTime("delivered_at")), row.getString("delivered_by"),
                instant(row.getOffsetDateTime("audited_at")), row.getString("webhook_state"),
                row.getInteger("attempts"), instant(row.getOffsetDateTime("created_at")), row.getString("last_error"));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static List<String> parseStrings(String json) {
        try {
            return json == null ? List.of() : PLAIN.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable fields_disclosed", e);
        }
    }

    private List<String> strings(String json) {
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable data_policy", e);
        }
    }

    private String json(List<String> values) {
        try {
            return mapper.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
