package kh.dds.replica.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What is poison (dead-lettered once isolated) and what is an outage (retried until it passes). */
class DatabaseRefusalTest {

    @Test
    void dataExceptionsIntegrityViolationsAndLimitsAreRefusals() {
        for (String state : new String[] {"22P05", "22021", "22008", "22001", "23514", "23505", "54000"}) {
            assertTrue(DatabaseRefusal.isRefusal(pg(state)), state);
        }
        DatabaseRefusal refusal = DatabaseRefusal.in(new CompletionException(pg("22P05"))).orElseThrow();
        assertEquals("the database refused it: bad value (SQLSTATE 22P05)", refusal.reason());
    }

    @Test
    void outagesAndFaultsOfTheReplicaItselfAreRetriedNotDeadLettered() {
        for (String state : new String[] {"08006", "08001", "57P01", "57P03", "53300", "40001", "40P01", "42P01",
                "42703", "XX000", "", "2"}) {
            assertFalse(DatabaseRefusal.isRefusal(pg(state)), state);
        }
        assertFalse(DatabaseRefusal.isRefusal(new VertxException("Connection is closed")));
        assertFalse(DatabaseRefusal.isRefusal(new CompletionException(new ConnectException("refused"))));
        assertFalse(DatabaseRefusal.isRefusal(new IllegalStateException("a fault of the replica's own")));
    }

    private static PgException pg(String state) {
        return new PgException("bad value", "ERROR", state, null);
    }
}
