package kh.dds.schema.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BatchIsolationTest {

    /** A store that refuses, all or nothing, any batch holding a poisoned record; or is away altogether. */
    static final class Store {
        final Set<Integer> poisoned;
        final List<Integer> held = new ArrayList<>();
        final List<Integer> quarantined = new ArrayList<>();
        int writes;
        boolean away;

        Store(Set<Integer> poisoned) {
            this.poisoned = poisoned;
        }

        CompletionStage<Void> write(List<Integer> batch) {
            writes++;
            if (away) {
                return CompletableFuture.failedFuture(new SQLException("connection refused", "08001"));
            }
            if (batch.stream().anyMatch(poisoned::contains)) {
                return CompletableFuture.failedFuture(new SQLException("invalid byte sequence", "22021"));
            }
            batch.stream().filter(r -> !held.contains(r)).forEach(held::add);
            return CompletableFuture.completedFuture(null);
        }

        BatchIsolation<Integer> isolation() {
            return new BatchIsolation<>(this::write,
                    failure -> StoreFailures.isPoison(failure, e -> e instanceof SQLException s ? s.getSQLState() : null),
                    (record, failure) -> {
                        quarantined.add(record);
                        return CompletableFuture.completedFuture(null);
                    });
        }
    }

    @Property
    void everyPoisonedRecordIsSetAsideAndEveryOtherHeldInOrder(
            @ForAll @IntRange(min = 1, max = 300) int size, @ForAll @Size(max = 6) Set<@IntRange(max = 299) Integer> poison)
            throws Exception {
        Store store = new Store(poison);
        List<Integer> batch = IntStream.range(0, size).boxed().toList();
        int quarantined = store.isolation().write(batch).toCompletableFuture().get();

        List<Integer> expectedHeld = batch.stream().filter(r -> !poison.contains(r)).toList();
        List<Integer> expectedQuarantined = batch.stream().filter(poison::contains).toList();
        assertEquals(expectedHeld, store.held);
        assertEquals(expectedQuarantined, store.quarantined);
        assertEquals(expectedQuarantined.size(), quarantined);
        assertEquals(new HashSet<>(batch), union(store.held, store.quarantined), "nothing lost");
    }

    @Test
    void oneBadRecordCostsAboutTwiceTheLogarithmOfTheBatchInWrites() throws Exception {
        Store store = new Store(Set.of(1234));
        store.isolation().write(IntStream.range(0, 2000).boxed().toList()).toCompletableFuture().get();
        assertEquals(List.of(1234), store.quarantined);
        // the whole, then two halves at each of ⌈log₂ 2000⌉ = 11 levels
        assertEquals(1 + 2 * 11, store.writes);
    }

    @Test
    void aStoreThatIsAwayFailsTheWholeBatchAndSetsNothingAside() {
        Store store = new Store(Set.of(3));
        store.away = true;
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> store.isolation().write(List.of(1, 2, 3, 4)).toCompletableFuture().get());
        assertSame(SQLException.class, failure.getCause().getClass());
        assertEquals(List.of(), store.quarantined);
        assertEquals(1, store.writes, "not split: the same batch is retried whole");
    }

    @Test
    void aWriterThatThrowsOnAValueIsPoisonedToo() throws Exception {
        BatchIsolation<String> isolation = new BatchIsolation<>(batch -> {
            batch.forEach(java.util.UUID::fromString);
            return CompletableFuture.completedFuture(null);
        }, failure -> StoreFailures.isPoison(failure, e -> null), (record, failure) -> CompletableFuture.completedFuture(null));
        assertEquals(1, isolation.write(List.of("0f8f0000-0000-4000-8000-000000000000", "not-a-uuid"))
                .toCompletableFuture().get());
    }

    private static Set<Integer> union(List<Integer> a, List<Integer> b) {
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
