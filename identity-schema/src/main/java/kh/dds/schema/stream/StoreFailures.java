package kh.dds.schema.stream;

import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a failure of a PostgreSQL call says, as every service of this project reads it: that what was written is
 * wrong (<em>poison</em>: set it aside, retrying cannot help) or that the database cannot be reached (<em>away</em>:
 * retry, answer {@code 503}), or neither (a fault of the service's own). The SQLSTATE is read by the caller's
 * function, so that this library needs no database client.
 */
public final class StoreFailures {

    /** PostgreSQL shutting down, crashed, or still recovering: away, not broken. */
    private static final Set<String> AWAY_STATES = Set.of("57P01", "57P02", "57P03");

    private StoreFailures() {
    }

    /**
     * The database refused a value (SQLSTATE class 22, data exception — a NUL byte, a value too long or out of range —
     * or class 54, program limit — an index row too large), or a record could not even be bound to the statement.
     *
     * @param sqlState the failure's SQLSTATE, or {@code null} when it is not the database's answer
     */
    public static boolean isPoison(Throwable failure, Function<Throwable, String> sqlState) {
        String state = sqlState.apply(failure);
        if (state != null) {
            return state.startsWith("22") || state.startsWith("54");
        }
        return failure instanceof IllegalArgumentException || failure instanceof NullPointerException
                || failure instanceof ClassCastException || failure instanceof java.time.DateTimeException
                || failure instanceof ArithmeticException;
    }

    /**
     * The database could not be reached (or a cause of the failure says so): no connection opened, the open one reset
     * or closed under the call, or PostgreSQL's own answer that it is shutting down, crashed or still recovering
     * (SQLSTATE class 08, {@code 57P01}–{@code 57P03}).
     *
     * @param closedConnection the client library's own "connection closed" failure
     */
    public static boolean isAway(Throwable failure, Function<Throwable, String> sqlState,
                                 Predicate<Throwable> closedConnection) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
            if (cause instanceof SocketException || cause instanceof ClosedChannelException
                    || closedConnection.test(cause)) {
                return true;
            }
            String state = sqlState.apply(cause);
            if (state != null && (state.startsWith("08") || AWAY_STATES.contains(state))) {
                return true;
            }
        }
        return false;
    }
}
