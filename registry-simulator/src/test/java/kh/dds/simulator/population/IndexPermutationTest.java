package kh.dds.simulator.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class IndexPermutationTest {

    @Property(tries = 200)
    void isABijectionOfTheRange(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int size) {
        IndexPermutation permutation = new IndexPermutation(seed, size);
        BitSet seen = new BitSet(size);
        for (int i = 0; i < size; i++) {
            long position = permutation.apply(i);
            assertTrue(position >= 0 && position < size);
            assertTrue(!seen.get((int) position), "no two indices share a position");
            seen.set((int) position);
            assertEquals(i, permutation.inverse(position));
        }
    }

    @Property(tries = 200)
    void documentNumbersAreDistinctAcrossGenerations(@ForAll long seed,
                                                     @ForAll @IntRange(min = 0, max = 89_999_999) int index,
                                                     @ForAll @IntRange(min = 0, max = 89_999_999) int other) {
        Population population = new Population(seed, 10);
        for (int generation = 0; generation < Population.DOCUMENT_GENERATIONS; generation++) {
            for (int otherGeneration = 0; otherGeneration < Population.DOCUMENT_GENERATIONS; otherGeneration++) {
                boolean same = index == other && generation == otherGeneration;
                assertEquals(same, population.nationalIdNumber(index, generation)
                        .equals(population.nationalIdNumber(other, otherGeneration)));
                assertEquals(same, population.passportNumber(index, generation)
                        .equals(population.passportNumber(other, otherGeneration)));
            }
        }
    }
}
