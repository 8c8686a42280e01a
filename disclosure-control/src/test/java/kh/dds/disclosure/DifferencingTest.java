package kh.dds.disclosure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The differencing attack of issue 11: an attacker asks {@code province=12}, {@code province=12&sex=F} and
 * {@code province=12&sex=M} on the day before a person's death and on the day after, and subtracts.
 *
 * <p>The attacker is given everything but the secret: the perturbation table, the minimum cell size, and the true
 * counts of everyone else in the province on both days (the strongest version of the knowledge that makes
 * subtraction work). What is left to learn is the person's presence. The claim tested is that, for most persons, it
 * cannot be derived from either day's answers: the day-before answers (person present) are also the answers that
 * some secret gives for the province without the person, and the day-after answers (person absent) are also the
 * answers that some secret gives with the person. "Some secret" is any choice of the two sex cells' keys (the total's
 * key is their sum), because every choice is as likely as any other to an attacker who does not know the secret.
 * A trial where either day's answers are possible under only one hypothesis counts as a disclosure.
 *
 * <p>The test is falsifiable, and it fails for published counts without perturbation: the same harness with a table
 * that perturbs nothing discloses every person whose counts are published (checked below). What it does not claim:
 * that the attacker learns nothing. The method bounds what subtraction proves, not what it suggests, and a
 * deterministic method publishes identical answers for identical populations, so an attacker who knows that only
 * this person can have changed between the two days learns from any change in the answers that something did (see
 * the README's limits).
 *
 * <p>Populations are random: each sex cell holds 0 to 60 other persons, so that small and suppressed counts occur;
 * the persons' record keys come from HMAC-SHA256 under a random secret per trial. The seed is fixed so that a run is
 * repeatable. Measured with the default table: 70.2% of the 3,000 trials stay hidden (95% interval 68.5% to
 * 71.8%), 66.3% of the 2,189 trials where every count is published; the bounds, 65% and 60%, sit below those
 * intervals so that only a weaker table fails, and the unperturbed baseline gives 0%. A proof is the stronger
 * attacker's bar; how well the same attacker can merely guess is measured by the next test, about 69%.
 */
class DifferencingTest {

    private static final int TRIALS = 3_000;
    private static final int GUESS_TRIALS = 4_000;
    private static final int MIN_CELL_SIZE = 10;

    @Test
    void aPersonsDeathCannotBeDerivedBySubtractingPerturbedAnswers() {
        Outcome outcome = attack(PerturbationTable.defaultTable(), 20251101L);
        assertTrue(outcome.publishedTrials() > TRIALS / 2, "most trials publish every count: " + outcome);
        assertTrue(outcome.hiddenPublished() >= 0.60 * outcome.publishedTrials(),
                "the person's presence is derivable too often when every count is published: " + outcome);
        assertTrue(outcome.hidden() >= 0.65 * TRIALS, "the person's presence is derivable too often: " + outcome);
    }

    @Test
    void withoutPerturbationSubtractionRevealsEveryPersonWhoseCountsArePublished() {
        Outcome outcome = attack(PerturbationTable.none(256), 20251101L);
        assertTrue(outcome.publishedTrials() > TRIALS / 2);
        assertEquals(0, outcome.hiddenPublished(), "exact counts always give the person away: " + outcome);
    }

    /**
     * The attacker's best guess rather than a proof: in each of {@value #GUESS_TRIALS} trials a fair coin puts the
     * person in the province or not, and the attacker, who knows everything but the secret (everyone else's true
     * counts included), sees the day's three answers and guesses with the Bayes-optimal rule — the hypothesis under
     * which more key assignments give these answers (cell keys are uniform to whoever lacks the secret, so that count
     * is the likelihood). The accuracy over many independent persons estimates how well presence can be guessed, with
     * a 95% Wilson interval. 50% would mean nothing is learned. The default table (variance 2 from count 3 on, a
     * change of at most 3) does not give that against this attacker: a one-person difference shifts the province's
     * and its sex's counts by one each, and those two shifted distributions can be told apart about two times in
     * three (exactly: 0.5 + half the total variation distance). So the bound asserted is that figure with room for
     * the interval, 72%: a weaker table (narrower noise) exceeds it, and the unperturbed baseline is right every time
     * a count is published. Getting near 50% against an attacker who knows every other person's count would take
     * noise several times wider than a person, at the cost of every small count's use; the README says so.
     */
    @Test
    void anAttackerWhoKnowsEveryoneElseGuessesAPersonsPresenceAboutTwoTimesInThree() {
        // measured: 69.3% (2,772 of 4,000; 95% interval 67.9% to 70.7%)
        Guesses perturbed = guess(PerturbationTable.defaultTable(), 20261206L);
        double[] interval = perturbed.wilson95();
        assertTrue(interval[1] <= 0.72, "the attacker guesses presence too well: " + perturbed);
        assertTrue(interval[0] >= 0.5, "the statistic is not below chance: " + perturbed);

        Guesses exact = guess(PerturbationTable.none(256), 20261206L);
        assertEquals(exact.publishedTrials(), exact.rightPublished(),
                "without perturbation every published answer tells presence: " + exact);
    }

    /**
     * @param right trials whose guess was right
     * @param publishedTrials trials whose three answers were all published
     * @param rightPublished of those, the trials whose guess was right
     */
    record Guesses(int trials, int right, int publishedTrials, int rightPublished) {

        /** The 95% Wilson score interval of the accuracy. */
        double[] wilson95() {
            double z = 1.96;
            double p = (double) right / trials;
            double centre = (p + z * z / (2.0 * trials)) / (1 + z * z / trials);
            double half = z * Math.sqrt(p * (1 - p) / trials + z * z / (4.0 * trials * trials)) / (1 + z * z / trials);
            return new double[] {centre - half, centre + half};
        }

        @Override
        public String toString() {
            double[] interval = wilson95();
            return String.format("accuracy %.3f (%d of %d, 95%% interval %.3f to %.3f); published answers %d of %d",
                    (double) right / trials, right, trials, interval[0], interval[1], rightPublished,
                    publishedTrials);
        }
    }

    private static Guesses guess(PerturbationTable table, long seed) {
        DisclosureControl control = DisclosureControl.withDefaults(table, MIN_CELL_SIZE);
        int keyRange = table.keyRange();
        Random random = new Random(seed);
        int right = 0;
        int published = 0;
        int rightPublished = 0;
        for (int trial = 0; trial < GUESS_TRIALS; trial++) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            RecordKeys keys = new RecordKeys(secret, keyRange);
            boolean female = random.nextBoolean();
            boolean present = random.nextBoolean();
            Cell[] cells = {persons(keys, trial, "F", random.nextInt(61)), persons(keys, trial, "M", random.nextInt(61))};
            int[] countsWithout = {cells[0].count(), cells[1].count()};
            int own = female ? 0 : 1;
            int[] countsWith = countsWithout.clone();
            countsWith[own]++;
            if (present) {
                cells[own] = cells[own].with(keys.of("person-" + trial), keyRange);
            }
            List<PublishedCount> observed = answers(control, cells, keyRange);
            long withPerson = likelihood(control, countsWith, observed, keyRange);
            long without = likelihood(control, countsWithout, observed, keyRange);
            boolean guess = withPerson == without ? random.nextBoolean() : withPerson > without;
            boolean correct = guess == present;
            right += correct ? 1 : 0;
            if (observed.stream().noneMatch(PublishedCount::suppressed)) {
                published++;
                rightPublished += correct ? 1 : 0;
            }
        }
        return new Guesses(GUESS_TRIALS, right, published, rightPublished);
    }

    /**
     * How many of the equally likely key assignments give these answers for a province with these counts of women
     * and men, in units of one assignment of two non-empty cells (an empty cell's key is 0 for sure: it weighs as
     * all the key range).
     */
    private static long likelihood(DisclosureControl control, int[] counts, List<PublishedCount> observed,
            int keyRange) {
        boolean[] totalKeys = matchingKeys(control, counts[0] + counts[1], observed.get(0), keyRange);
        boolean[] womenKeys = matchingKeys(control, counts[0], observed.get(1), keyRange);
        boolean[] menKeys = matchingKeys(control, counts[1], observed.get(2), keyRange);
        long weight = (counts[0] == 0 ? keyRange : 1) * (long) (counts[1] == 0 ? keyRange : 1);
        long matching = 0;
        for (int keyF = 0; keyF < keyRange; keyF++) {
            for (int keyM = 0; womenKeys[keyF] && keyM < keyRange; keyM++) {
                if (menKeys[keyM] && totalKeys[(keyF + keyM) % keyRange]) {
                    matching++;
                }
            }
        }
        return matching * weight;
    }

    /**
     * @param hidden trials in which neither day's answers prove the person's presence or absence
     * @param publishedTrials trials in which all six answers were published (no suppression helped)
     * @param hiddenPublished of those, the trials in which the presence stayed hidden
     */
    record Outcome(int hidden, int publishedTrials, int hiddenPublished) {
    }

    private static Outcome attack(PerturbationTable table, long seed) {
        DisclosureControl control = DisclosureControl.withDefaults(table, MIN_CELL_SIZE);
        int keyRange = table.keyRange();
        Random random = new Random(seed);
        int hidden = 0;
        int published = 0;
        int hiddenPublished = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            RecordKeys keys = new RecordKeys(secret, keyRange);
            boolean female = random.nextBoolean();
            Cell[] others = {persons(keys, trial, "F", random.nextInt(61)), persons(keys, trial, "M", random.nextInt(61))};
            int personKey = keys.of("person-" + trial);
            int own = female ? 0 : 1;

            Cell[] before = others.clone();
            before[own] = before[own].with(personKey, keyRange);
            List<PublishedCount> dayBefore = answers(control, before, keyRange);
            List<PublishedCount> dayAfter = answers(control, others, keyRange);

            int[] countsWithout = {others[0].count(), others[1].count()};
            int[] countsWith = countsWithout.clone();
            countsWith[own]++;
            boolean hiddenBefore = possible(control, countsWithout, dayBefore, keyRange);
            boolean hiddenAfter = possible(control, countsWith, dayAfter, keyRange);
            boolean stayedHidden = hiddenBefore && hiddenAfter;
            hidden += stayedHidden ? 1 : 0;
            if (dayBefore.stream().noneMatch(PublishedCount::suppressed)
                    && dayAfter.stream().noneMatch(PublishedCount::suppressed)) {
                published++;
                hiddenPublished += stayedHidden ? 1 : 0;
            }
        }
        return new Outcome(hidden, published, hiddenPublished);
    }

    /** The three one-value answers: the province, its women, its men. */
    private static List<PublishedCount> answers(DisclosureControl control, Cell[] bySex, int keyRange) {
        return List.of(control.publish(bySex[0].plus(bySex[1], keyRange)), control.publish(bySex[0]),
                control.publish(bySex[1]));
    }

    /**
     * Whether some secret gives these answers for a province with these counts of women and men: keys for the two
     * sex cells that publish their observed values and whose sum publishes the observed total.
     */
    private static boolean possible(DisclosureControl control, int[] counts, List<PublishedCount> observed,
            int keyRange) {
        boolean[] totalKeys = matchingKeys(control, counts[0] + counts[1], observed.get(0), keyRange);
        boolean[] womenKeys = matchingKeys(control, counts[0], observed.get(1), keyRange);
        boolean[] menKeys = matchingKeys(control, counts[1], observed.get(2), keyRange);
        for (int keyF = 0; keyF < keyRange; keyF++) {
            for (int keyM = 0; womenKeys[keyF] && keyM < keyRange; keyM++) {
                if (menKeys[keyM] && totalKeys[(keyF + keyM) % keyRange]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The cell keys under which a cell of this count is published as observed (only key 0 for an empty cell). */
    private static boolean[] matchingKeys(DisclosureControl control, int count, PublishedCount observed, int keyRange) {
        boolean[] matching = new boolean[keyRange];
        for (int key = 0; key < (count == 0 ? 1 : keyRange); key++) {
            matching[key] = control.publish(cell(count, key)).equals(observed);
        }
        return matching;
    }

    private static Cell cell(int count, int key) {
        return count == 0 ? Cell.EMPTY : new Cell(count, key);
    }

    private static Cell persons(RecordKeys keys, int trial, String sex, int count) {
        Cell cell = Cell.EMPTY;
        for (int i = 0; i < count; i++) {
            cell = cell.with(keys.of("trial-" + trial + "-" + sex + "-" + i), keys.keyRange());
        }
        return cell;
    }
}
