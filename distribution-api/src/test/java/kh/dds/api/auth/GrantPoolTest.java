package kh.dds.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The token endpoint's bounded pool: work beyond its threads and queue is refused at once, never queued. */
class GrantPoolTest {

    @Test
    void workBeyondTheThreadsAndTheQueueIsRefusedAtOnceWithRetryAfter() throws Exception {
        GrantPool pool = new GrantPool(1, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> busy = pool.run(() -> {
            running.countDown();
            await(release);
            return "first";
        }).subscribeAsCompletionStage();
        assertTrue(running.await(5, TimeUnit.SECONDS));
        CompletableFuture<String> queued1 = pool.run(() -> "second").subscribeAsCompletionStage();
        CompletableFuture<String> queued2 = pool.run(() -> "third").subscribeAsCompletionStage();

        Throwable refused = failureOf(pool.run(() -> "fourth"));
        TokenRefused busyAnswer = assertInstanceOf(TokenRefused.class, refused);
        assertEquals(503, busyAnswer.status());
        assertEquals("temporarily_unavailable", busyAnswer.error());
        assertEquals(1, busyAnswer.retryAfterSeconds());

        release.countDown();
        assertEquals("first", busy.get(5, TimeUnit.SECONDS));
        assertEquals("second", queued1.get(5, TimeUnit.SECONDS));
        assertEquals("third", queued2.get(5, TimeUnit.SECONDS));
        // room again: accepted
        assertEquals("fifth", pool.run(() -> "fifth").await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void aRefusalThrownByTheWorkReachesTheCallerAsItself() {
        GrantPool pool = new GrantPool(1, 1);
        Uni<String> work = pool.run(() -> {
            throw TokenRefused.invalidClient();
        });
        Throwable failure = failureOf(work);
        assertEquals("invalid_client", assertInstanceOf(TokenRefused.class, failure).error());
    }

    private static Throwable failureOf(Uni<?> uni) {
        try {
            uni.await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            return e;
        }
        return fail("the work succeeded");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
