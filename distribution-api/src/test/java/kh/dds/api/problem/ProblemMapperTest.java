package kh.dds.api.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures are a store away (503, retry later) and which stay the service's own (500). */
class ProblemMapperTest {

    @Test
    void aDatabaseThatCannotBeReachedIsAStoreUnavailable() {
        for (Throwable away : new Throwable[] {
                new ConnectException("Connection refused: /127.0.0.1:5432"),
                new CompletionException(new ConnectException("Connection refused")),
                new SocketException("Connection reset"),
                new ClosedChannelException(),
                ClosedConnectionException.INSTANCE,
                new PgException("the database system is starting up", "FATAL", "57P03", null),
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null),
                new PgException("terminating connection because of crash of another server process", "FATAL",
                        "57P02", null),
                new PgException("connection failure", "FATAL", "08006", null)}) {
            assertTrue(ProblemMapper.unreachable(away), away.toString());
            ApiProblem problem = ProblemMapper.failure(away);
            assertEquals(503, problem.status());
            assertEquals("5", problem.headers().get("Retry-After"));
        }
    }

    @Test
    void aStoreThatAnsweredIsNotUnreachable() {
        for (Throwable answered : new Throwable[] {
                new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null),
                new PgException("value too long", "ERROR", "22001", null),
                new IllegalStateException("Result is already complete"),
                new NullPointerException()}) {
            assertFalse(ProblemMapper.unreachable(answered), answered.toString());
            assertEquals(500, ProblemMapper.failure(answered).status());
        }
    }

    @Test
    void aPoolWhoseWaitQueueIsFullIsAnOverloadNotAFailure() {
        for (Throwable full : new Throwable[] {
                new io.vertx.core.http.ConnectionPoolTooBusyException("Connection pool reached max wait queue size"),
                new CompletionException(new io.vertx.core.http.ConnectionPoolTooBusyException("full"))}) {
            ApiProblem problem = ProblemMapper.failure(full);
            assertEquals(503, problem.status(), full.toString());
            assertEquals("overloaded", problem.name());
            assertEquals("1", problem.headers().get("Retry-After"));
        }
    }
}
