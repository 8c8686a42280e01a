package kh.dds.schema.stream;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How every consumer of this project writes a batch without letting one bad record stop it (SPEC §4: no input may
 * stop a consumer). The batch is written whole; when that fails because of what a record holds (<em>poison</em>: the
 * store refuses a value), the batch is split in halves and each half written in turn, down to the one record that
 * fails on its own, which is handed to {@code quarantine} — the consumer parks it on its dead-letter topic and, where
 * it keeps a trail, records that it did — and the rest goes on, in order. A failure that is not poison (the store
 * away, a timeout) fails the whole write unchanged, for the consumer to retry the batch with back-off: a record is
 * never set aside because the database was restarting.
 *
 * <p>A batch with one poisoned record costs about {@code 2·log₂(n)} extra writes; writes must be idempotent (each of
 * this project's consumers skips what it already holds), since a half written before a later failure is written
 * again when the batch is retried.
 *
 * @param <T> a record of the batch
 */
public final class BatchIsolation<T> {

    private final Function<List<T>, CompletionStage<Void>> write;
    private final Predicate<Throwable> poison;
    private final BiFunction<T, Throwable, CompletionStage<Void>> quarantine;

    /**
     * @param write      writes records, all or none (one transaction)
     * @param poison     whether a failure of {@code write} comes from what the records hold
     * @param quarantine sets one poisoned record aside, with the failure it caused
     */
    public BatchIsolation(Function<List<T>, CompletionStage<Void>> write, Predicate<Throwable> poison,
                          BiFunction<T, Throwable, CompletionStage<Void>> quarantine) {
        this.write = write;
        this.poison = poison;
        this.quarantine = quarantine;
    }

    /** Writes the batch, isolating poisoned records; completes with how many were quarantined. */
    public CompletionStage<Integer> write(List<T> batch) {
        if (batch.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return attempt(batch).thenCompose(failure -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(0);
            }
            if (!poison.test(failure)) {
                return CompletableFuture.failedFuture(failure);
            }
            if (batch.size() == 1) {
                return quarantine.apply(batch.get(0), failure).thenApply(done -> 1);
            }
            int half = batch.size() / 2;
            return write(batch.subList(0, half))
                    .thenCompose(first -> write(batch.subList(half, batch.size())).thenApply(second -> first + second));
        });
    }

    /** The write's failure, or {@code null} when it succeeded (a write that throws instead of failing counts too). */
    private CompletionStage<Throwable> attempt(List<T> records) {
        CompletionStage<Void> written;
        try {
            written = write.apply(records);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.handle((done, failure) -> unwrap(failure));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
