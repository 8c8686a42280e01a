package kh.dds.api.audit.ledger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import kh.dds.api.problem.Problems;
import kh.dds.schema.ledger.LedgerEntry;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.time.PhnomPenh;

/**
 * What auditors ask the ledger: records by subject, contract, client, operator, purpose and time, newest first, in
 * pages with an opaque cursor ({@code occurredAt|lookupId}); a person's own access log; the export the offline
 * verifier reads.
 */
@ApplicationScoped
public class AuditQueries {

    public static final int MAX_PAGE = 1_000;

    private static final String RECORDS = """
            SELECT r.*, k.organisation FROM audit.lookup_record r LEFT JOIN api.contract k ON k.id = r.contract_id
            WHERE ($1::text IS NULL OR r.subject_kidc = $1) AND ($2::uuid IS NULL OR r.contract_id = $2)
              AND ($3::text IS NULL OR r.client_id = $3) AND ($4::text IS NULL OR r.operator_id = $4)
              AND ($5::text IS NULL OR r.purpose = $5)
              AND ($6::timestamptz IS NULL OR r.occurred_at >= $6) AND ($7::timestamptz IS NULL OR r.occurred_at < $7)
              AND ($8::timestamptz IS NULL OR (r.occurred_at, r.lookup_id) < ($8, $9::uuid))
            ORDER BY r.occurred_at DESC, r.lookup_id DESC LIMIT $10""";
    private static final String SUBJECT = """
            SELECT r.occurred_at, r.lookup_id, r.product, r.purpose, r.outcome, r.fields_disclosed, k.organisation,
                   k.kind
            FROM audit.lookup_record r JOIN api.contract k ON k.id = r.contract_id
            WHERE r.subject_kidc = $1 AND (k.confidential_until IS NULL OR k.confidential_until <= $2)
              AND ($3::timestamptz IS NULL OR (r.occurred_at, r.lookup_id) < ($3, $4::uuid))
            ORDER BY r.occurred_at DESC, r.lookup_id DESC LIMIT $5""";
    private static final String EXPORT_RANGES = """
            SELECT lane, min(seq) AS first, max(seq) AS last FROM audit.lookup_record
            WHERE ($1::timestamptz IS NULL OR occurred_at >= $1) AND ($2::timestamptz IS NULL OR occurred_at < $2)
            GROUP BY lane ORDER BY lane""";
    private static final String EXPORT_PAGE = """
            SELECT * FROM audit.lookup_record WHERE lane = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq LIMIT 5000""";

    /** The filters of {@code GET /v1/audit/records}; any may be null. */
    public record Filter(String subject, UUID contract, String client, String operator, String purpose, Instant from,
                         Instant to) {
    }

    /** A record as auditors see it: the whole lookup record, its place in the chain and the contract's organisation. */
    public record AuditedRecord(String lookupId, Instant occurredAt, String contractId, String organisation,
                                String clientId, String operatorId, String purpose, String product, String subjectKidc,
                                String outcome, String decision, List<String> fieldsDisclosed, int httpStatus,
                                boolean billable, long latencyMicros, String detail, int lane, long seq,
                                String hash) {
    }

    /** A line of a person's own access log: who, when, why, what — not the relying party's staff or systems. */
    public record AccessLogEntry(Instant occurredAt, String organisation, String organisationKind, String product,
                                 String purpose, String outcome, List<String> fieldsDisclosed) {
    }

    public record Page<T>(List<T> items, String nextCursor) {
    }

    private final Pool pool;

    public AuditQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page<AuditedRecord>> records(Filter filter, String cursor, int limit) {
        Object[] after = cursor(cursor);
        return pool.preparedQuery(RECORDS).execute(Tuple.from(new Object[] {filter.subject(), filter.contract(),
                filter.client(), filter.operator(), filter.purpose(), at(filter.from()), at(filter.to()), after[0],
                after[1], limit + 1})).map(rows -> {
                    List<AuditedRecord> items = new ArrayList<>();
                    for (Row row : rows) {
                        items.add(audited(row));
                    }
                    return page(items, limit, i -> items.get(i).occurredAt() + "|" + items.get(i).lookupId());
                });
    }

    /** Every record matching {@code filter}, newest first, page after page (for a streamed CSV export). */
    public Multi<AuditedRecord> all(Filter filter) {
        // state: {next cursor, done}
        return Multi.createBy().repeating().uni(() -> new Object[] {null, Boolean.FALSE}, state ->
                        Boolean.TRUE.equals(state[1]) ? Uni.createFrom().item(new Page<AuditedRecord>(List.of(), null))
                                : records(filter, (String) state[0], MAX_PAGE).invoke(page -> {
                                    state[0] = page.nextCursor();
                                    state[1] = page.nextCursor() == null;
                                }))
                .whilst(page -> !page.items().isEmpty())
                .onItem().transformToIterable(Page::items);
    }

    public Uni<Page<AccessLogEntry>> accessLog(String kidc, String cursor, int limit) {
        Object[] after = cursor(cursor);
        LocalDate today = PhnomPenh.today();
        return pool.preparedQuery(SUBJECT).execute(Tuple.from(new Object[] {kidc, today, after[0], after[1],
                limit + 1})).map(rows -> {
                    List<AccessLogEntry> items = new ArrayList<>();
                    List<String> keys = new ArrayList<>();
                    for (Row row : rows) {
                        String[] fields = row.getArrayOfStrings("fields_disclosed");
                        Instant at = row.getOffsetDateTime("occurred_at").toInstant();
                        items.add(new AccessLogEntry(at, row.getString("organisation"), row.getString("kind"),
                                row.getString("product"), row.getString("purpose"), row.getString("outcome"),
                                fields == null ? List.of() : List.of(fields)));
                        keys.add(at + "|" + row.getUUID("lookup_id"));
                    }
                    return page(items, limit, keys::get);
                });
    }

    /** The export of {@code [from, to)}, widened to whole runs of each lane's sequence, one NDJSON line an entry. */
    public Multi<com.fasterxml.jackson.databind.node.ObjectNode> export(Instant from, Instant to) {
        return pool.preparedQuery(EXPORT_RANGES).execute(Tuple.of(at(from), at(to))).onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToMultiAndConcatenate(row -> lane(row.getShort("lane"), row.getLong("first"),
                        row.getLong("last")))
                .map(LedgerExport::node);
    }

    private Multi<LedgerEntry> lane(int lane, long first, long last) {
        return Multi.createBy().repeating().uni(() -> new long[] {first}, next -> next[0] > last
                        ? Uni.createFrom().<List<LedgerEntry>>item(List.of())
                        : pool.preparedQuery(EXPORT_PAGE).execute(Tuple.of((short) lane, next[0], last))
                                .map(AuditLedger::entries).invoke(entries -> next[0] = entries.isEmpty() ? last + 1
                                        : entries.get(entries.size() - 1).seq() + 1))
                .whilst(entries -> !entries.isEmpty())
                .onItem().transformToIterable(entries -> entries);
    }

    private static AuditedRecord audited(Row row) {
        LedgerEntry entry = AuditLedger.entry(row);
        var r = entry.record();
        return new AuditedRecord(r.lookupId(), r.occurredAt(), r.contractId(), row.getString("organisation"),
                r.clientId(), r.operatorId(), r.purpose(), r.product().name(), r.subjectKidc(), r.outcome(),
                r.decision(), r.fieldsDisclosed(), r.httpStatus(), r.billable(), r.latencyMicros(), r.detail(),
                entry.lane(), entry.seq(), kh.dds.schema.ledger.LedgerHash.hex(entry.hash()));
    }

    /** The first {@code limit} items, and a cursor after the last of them when there are more. */
    private static <T> Page<T> page(List<T> items, int limit, java.util.function.IntFunction<String> keyAt) {
        boolean more = items.size() > limit;
        List<T> shown = more ? items.subList(0, limit) : items;
        return new Page<>(List.copyOf(shown), more ? encode(keyAt.apply(shown.size() - 1)) : null);
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** {occurredAt, lookupId} of a cursor, or {null, null}. */
    private static Object[] cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return new Object[] {null, null};
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            return new Object[] {Instant.parse(parts[0]).atOffset(ZoneOffset.UTC), UUID.fromString(parts[1])};
        } catch (RuntimeException e) {
            throw Problems.invalidRequest("cursor: not a cursor this API gave out");
        }
    }

    private static java.time.OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
