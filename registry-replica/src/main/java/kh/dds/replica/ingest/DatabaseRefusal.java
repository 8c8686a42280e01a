package kh.dds.replica.ingest;

import io.vertx.pgclient.PgException;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL refusing what it was asked to store, as opposed to PostgreSQL being away. Only the SQLSTATE classes that
 * say the data itself is wrong count: {@code 22} (data exception: a value it cannot represent, e.g. {@code \\u0000}
 * in {@code jsonb}, a date out of range), {@code 23} (integrity constraint violation) and {@code 54} (program limit
 * exceeded: a value too large). Everything else — a connection refused or cut, an administrator's shutdown
 * ({@code 57P01}), too many connections ({@code 53300}), a serialisation failure or deadlock ({@code 40}), and any
 * error this code does not recognise — is taken as passing: the batch is retried, never dead-lettered, so that an
 * event is not thrown away because PostgreSQL was restarting or because of a fault of the replica's own.
 */
public record DatabaseRefusal(String sqlState, String message) {

    private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54");

    /** The refusal among the causes of {@code failure}, if it is one. */
    public static Optional<DatabaseRefusal> in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().length() == 5
                    && DATA_CLASSES.contains(pg.getSqlState().substring(0, 2))) {
                return Optional.of(new DatabaseRefusal(pg.getSqlState(), pg.getErrorMessage()));
            }
        }
        return Optional.empty();
    }

    public static boolean isRefusal(Throwable failure) {
        return in(failure).isPresent();
    }

    /** The dead letter's reason (made safe for its header by {@link ReplicaPublisher.DeadLetter}). */
    public String reason() {
        return "the database refused it: " + message + " (SQLSTATE " + sqlState + ")";
    }
}
