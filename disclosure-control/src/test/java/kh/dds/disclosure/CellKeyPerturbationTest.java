package kh.dds.disclosure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CellKeyPerturbationTest {

    private static final PerturbationTable TABLE = PerturbationTable.defaultTable();
    private static final RecordKeys KEYS =
            new RecordKeys("a test secret, never a real one".getBytes(StandardCharsets.UTF_8), 256);

    @Property(tries = 300)
    void theSamePersonsAreAlwaysPublishedTheSameWayInWhateverOrderTheyAreCounted(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 255) Integer> recordKeys, @ForAll long shuffle) {
        List<Integer> shuffled = new ArrayList<>(recordKeys);
        Collections.shuffle(shuffled, new Random(shuffle));
        Cell counted = cellOf(recordKeys);
        Cell countedAgain = cellOf(shuffled);
        assertEquals(counted, countedAgain);
        assertEquals(TABLE.perturb(counted), TABLE.perturb(countedAgain));
    }

    @Property(tries = 300)
    void aMarginIsTheCellOfItsPersons(
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 255) Integer> first,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 255) Integer> second) {
        List<Integer> both = new ArrayList<>(first);
        both.addAll(second);
        assertEquals(cellOf(both), cellOf(first).plus(cellOf(second), 256));
    }

    @Property(tries = 1000)
    void aPublishedCountIsNeverNegativeAndWithinTheLargestPerturbation(
            @ForAll @IntRange(min = 0, max = 100_000) int count, @ForAll @IntRange(min = 0, max = 255) int key) {
        Cell cell = count == 0 ? Cell.EMPTY : new Cell(count, key);
        int published = TABLE.perturb(cell);
        assertTrue(published >= 0, "published " + published);
        assertTrue(Math.abs(published - count) <= TABLE.largestPerturbation());
        assertEquals(3, TABLE.largestPerturbation());
    }

    @Test
    void nobodyIsPublishedAsNobody() {
        assertEquals(0, TABLE.perturb(Cell.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new Cell(0, 7));
    }

    @Test
    void theDefaultTableIsUnbiasedForEveryCountAndChangesMostCounts() {
        for (int count = 0; count < 50; count++) {
            assertEquals(0.0, TABLE.meanPerturbation(count), 1e-12, "count " + count);
        }
        long unchanged = java.util.stream.IntStream.range(0, 256).filter(k -> TABLE.perturbation(5, k) == 0).count();
        assertEquals(64, unchanged);
    }

    @Test
    void aTableThatWouldPublishANegativeCountOrPerturbNobodyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PerturbationTable.parse("0,0,4\n1,-2,2\n1,2,2\n"));
        assertThrows(IllegalArgumentException.class, () -> PerturbationTable.parse("0,1,4\n1,0,4\n"));
        assertThrows(IllegalArgumentException.class, () -> PerturbationTable.parse("0,0,4\n1,0,3\n"));
        assertThrows(IllegalArgumentException.class, () -> PerturbationTable.parse("0,0,4\n2,0,4\n"));
        PerturbationTable small = PerturbationTable.parse("0,0,4\n1,-1,1\n1,0,2\n1,1,1\n");
        assertEquals(List.of(-1, 0, 0, 1), List.of(small.perturbation(1, 0), small.perturbation(1, 1),
                small.perturbation(7, 2), small.perturbation(7, 3)));
    }

    @Property(tries = 200)
    void aRecordKeyIsStableInRangeAndDependsOnTheSecret(@ForAll @IntRange(min = 0, max = 999_999_999) int digits) {
        String kidc = "1" + String.format("%09d", digits);
        int key = KEYS.of(kidc);
        assertTrue(key >= 0 && key < 256);
        assertEquals(key, KEYS.of(kidc));
        assertEquals(key, new RecordKeys("a test secret, never a real one".getBytes(StandardCharsets.UTF_8), 256)
                .of(kidc));
    }

    @Test
    void recordKeysAreSpreadOverTheRangeAndChangeWithTheSecret() {
        int[] frequency = new int[256];
        RecordKeys other = new RecordKeys("another secret, never a real one".getBytes(StandardCharsets.UTF_8), 256);
        int same = 0;
        for (int i = 0; i < 25_600; i++) {
            String kidc = "1" + String.format("%09d", i);
            frequency[KEYS.of(kidc)]++;
            same += KEYS.of(kidc) == other.of(kidc) ? 1 : 0;
        }
        // 100 expected per key; a chi-square of 255 degrees of freedom above 350 has probability below 1e-4
        double chiSquare = java.util.Arrays.stream(frequency).mapToDouble(f -> (f - 100.0) * (f - 100.0) / 100).sum();
        assertTrue(chiSquare < 350, "chi-square " + chiSquare);
        assertTrue(same < 200, same + " of 25,600 keys equal under two secrets");
        assertThrows(IllegalArgumentException.class, () -> new RecordKeys(new byte[32], 100));
        assertThrows(IllegalArgumentException.class, () -> new RecordKeys(new byte[8], 256));
    }

    private static Cell cellOf(List<Integer> recordKeys) {
        return Cell.of(256, recordKeys.stream().mapToInt(Integer::intValue).toArray());
    }
}
