package kh.dds.api.audit.console;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import kh.dds.api.auth.Caller;

/**
 * What people did in the web console, as the console reported it with each person's own token: the person and the
 * client are the token's (verified), the action, its target and outcome the console's words.
 */
@ApplicationScoped
public class ConsoleActivity {

    public static final int MAX_PAGE = 200;
    private static final String INSERT = """
            INSERT INTO audit.console_activity (occurred_at, person, issuer, client_id, contract_id, action, target,
                                                outcome)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id""";
    private static final String LIST = """
            SELECT id, occurred_at, person, client_id, contract_id, action, target, outcome
            FROM audit.console_activity
            WHERE ($1::text IS NULL OR person = $1) AND ($2::bigint IS NULL OR id < $2)
            ORDER BY id DESC LIMIT $3""";

    /** One action; {@code id} orders them (and is the cursor of the next page). */
    public record Entry(long id, Instant occurredAt, String person, String clientId, String contractId,
                        String action, String target, String outcome) {
    }

    public record Page(List<Entry> items, String nextCursor) {
    }

    private final Pool pool;

    public ConsoleActivity(Pool pool) {
        this.pool = pool;
    }

    public Uni<Long> record(Caller person, String action, String target, String outcome) {
        return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {
                        OffsetDateTime.now(ZoneOffset.UTC), person.person(), person.issuer(), person.clientId(),
                        person.contractId(), action, target, outcome}))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    public Uni<Page> list(String person, Long before, int size) {
        return pool.preparedQuery(LIST).execute(Tuple.of(person, before, size + 1)).map(rows -> {
            List<Entry> entries = new ArrayList<>();
            for (Row row : rows) {
                entries.add(new Entry(row.getLong("id"), row.getOffsetDateTime("occurred_at").toInstant(),
                        row.getString("person"), row.getString("client_id"), row.getString("contract_id"),
                        row.getString("action"), row.getString("target"), row.getString("outcome")));
            }
            if (entries.size() > size) {
                entries = entries.subList(0, size);
                return new Page(List.copyOf(entries), Long.toString(entries.get(size - 1).id()));
            }
            return new Page(List.copyOf(entries), null);
        });
    }
}
