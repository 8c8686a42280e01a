package kh.dds.api.auth;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import kh.dds.api.concurrent.Contexts;

/**
 * Where the token endpoint's CPU work runs — checking a secret (a legacy PBKDF2 hash is ~100 ms) and signing a token
 * (RS256, ~1 ms) — off the event loop, on {@code api.token.pool.threads} threads with a queue of
 * {@code api.token.pool.queue}. A request that finds both full is refused at once ({@code 503},
 * {@code Retry-After: 1}) rather than queued: Vert.x's shared worker pool has an unbounded queue, on which a burst of
 * bad attempts used to wait in line ahead of every relying party's renewal, and made every other blocking task of
 * the API wait behind it too.
 */
@ApplicationScoped
public class GrantPool {

    private static final long RETRY_AFTER_SECONDS = 1;

    private final ThreadPoolExecutor executor;

    @Inject
    public GrantPool(TokenConfig config) {
        this(config.pool().threads(), config.pool().queue());
    }

    /** A pool of its own size: for tests of the refusal. */
    GrantPool(int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)), task -> {
                    Thread thread = new Thread(task, "token-grant-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * {@code work} on the pool, its result delivered on the caller's Vert.x context; fails with
     * {@link TokenRefused#busy} when the pool and its queue are full.
     */
    public <T> Uni<T> run(Supplier<T> work) {
        return Contexts.resumeHere(Uni.createFrom().deferred(() -> {
            try {
                return Uni.createFrom().completionStage(CompletableFuture.supplyAsync(work, executor));
            } catch (RejectedExecutionException e) {
                return Uni.createFrom().failure(TokenRefused.busy(RETRY_AFTER_SECONDS));
            }
        }));
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdown();
    }
}
