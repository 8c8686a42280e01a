package kh.dds.simulator.population;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.MaritalStatus;
import kh.dds.schema.event.Place;
import kh.dds.schema.kidc.KidcAllocator;
import kh.dds.schema.kidc.KidcKind;
import kh.dds.simulator.population.NameBook.Nationality;
import kh.dds.simulator.population.NameTable.Name;

/**
 * A deterministic synthetic population of Cambodia: person {@code index} (0 ≤ index &lt; size) of a seeded population
 * always has the same KIdC, names, birth date, address, family links and documents, whatever else is asked and in
 * whatever order. Indices from {@code size} on are the babies born later in a stream ({@link #newborn(int)}).
 *
 * <p>How it stays small at 17 million people: the population is laid out in strata (province × sex × age in years)
 * whose sizes follow the province weights and the {@link AgePyramid} exactly; an {@link IndexPermutation} scatters
 * the indices over those positions. Every attribute is then drawn from a hash of (seed, attribute, index) on demand.
 * Only the family links are kept, as four int arrays: mother and father per person, and the children of each parent
 * in compressed rows, with a short per person caching its stratum (about 19 bytes a person, 330 MB at 17 million).
 *
 * <p>Families: a child's mother is a woman of the population 16–45 years older, mostly of the same province; the
 * father is the mother's husband (a man of her province 2–5 years older) when he is 18–55 years older than the
 * child. Most people under 60 have a mother in the population, most of those a father too; a minor lives at
 * the mother's address, and children mostly carry their father's family name.
 */
public final class Population {

    public static final LocalDate DEFAULT_REFERENCE_DATE = LocalDate.of(2026, 1, 1);
    /** The population may have at most this many people; births in a stream go on from there. */
    public static final int MAX_SIZE = 50_000_000;

    private static final long SALT_FOREIGN = 1;
    private static final long SALT_BIRTH = 2;
    private static final long SALT_PRECISION = 3;
    private static final long SALT_MOTHER = 4;
    private static final long SALT_FATHER = 5;
    private static final long SALT_FAMILY_NAME = 7;
    private static final long SALT_INHERIT_NAME = 8;
    private static final long SALT_GIVEN_NAME = 9;
    private static final long SALT_ADDRESS = 10;
    private static final long SALT_BIRTH_PLACE = 11;
    private static final long SALT_MARITAL = 12;
    private static final long SALT_NATIONAL_ID = 13;
    private static final long SALT_PASSPORT = 14;
    private static final long SALT_NATIONALITY = 15;
    private static final long SALT_NEWBORN = 16;
    private static final long SALT_NEWBORN_MOTHER = 17;
    private static final long SALT_DOCUMENT_NUMBER = 18;

    private static final double FOREIGN_SHARE = 0.015;
    private static final int FEMALE = 0;
    private static final int MALE = 1;
    private static final int STRATA_PER_PROVINCE = 2 * AgePyramid.AGES;
    private static final long NATIONAL_ID_SPACE = 1_000_000_000L;
    private static final long PASSPORT_SPACE = 100_000_000L;
    private static final String PASSPORT_SERIES = "NPRSTUVW";
    /** Document generations per type: 0 is the population's own, 1–7 are issued later by a stream. */
    public static final int DOCUMENT_GENERATIONS = PASSPORT_SERIES.length();

    /** Mother's age at the child's birth, 16–45. */
    private static final WeightedChoice MOTHER_AGE_AT_BIRTH = new WeightedChoice(
            0.35, 0.5, 0.7, 0.9,                  // 16–19
            1.3, 1.3, 1.3, 1.3, 1.3,              // 20–24
            1.5, 1.5, 1.5, 1.5, 1.5,              // 25–29
            1.2, 1.2, 1.2, 1.2, 1.2,              // 30–34
            0.7, 0.7, 0.7, 0.7, 0.7,              // 35–39
            0.25, 0.25, 0.2, 0.15, 0.1, 0.05);    // 40–45
    private static final int MOTHER_AGE_MIN = 16;
    /** At most this many children are linked to one parent. */
    public static final int MAX_CHILDREN = 10;

    private final long seed;
    private final int size;
    private final LocalDate referenceDate;
    private final int referenceDay;
    private final Provinces provinces;
    private final AgePyramid pyramid;
    private final AdministrativeAreas areas;
    private final KidcAllocator allocator;
    private final IndexPermutation permutation;
    private final int[] strataStart;
    /** The stratum of each index (a cache of the permutation and the strata search: 2 bytes a person). */
    private final short[] stratumOfIndex;
    private final int[] firstBirthDay = new int[AgePyramid.AGES];
    private final int[] lastBirthDay = new int[AgePyramid.AGES];
    private final long nationalIdMultiplier;
    private final long nationalIdOffset;
    private final long passportMultiplier;
    private final long passportOffset;
    private final int[] mothers;
    private final int[] fathers;
    private final int[] childStart;
    private final int[] children;

    public Population(long seed, int size) {
        this(seed, size, DEFAULT_REFERENCE_DATE);
    }

    public Population(long seed, int size, LocalDate referenceDate) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("a population has 1 to " + MAX_SIZE + " persons");
        }
        this.seed = seed;
        this.size = size;
        this.referenceDate = referenceDate;
        this.referenceDay = (int) referenceDate.toEpochDay();
        this.provinces = Provinces.cambodia();
        this.pyramid = new AgePyramid();
        this.areas = new AdministrativeAreas(seed, provinces);
        this.allocator = new KidcAllocator(seed);
        this.permutation = new IndexPermutation(seed, size);
        for (int age = 0; age < AgePyramid.AGES; age++) {
            lastBirthDay[age] = (int) referenceDate.minusYears(age).toEpochDay();
            firstBirthDay[age] = (int) referenceDate.minusYears(age + 1L).plusDays(1).toEpochDay();
        }
        this.strataStart = layOutStrata();
        this.stratumOfIndex = new short[size];
        IntStream.range(0, size).parallel().forEach(index -> stratumOfIndex[index] = (short) locateStratum(index));
        this.nationalIdMultiplier = coprimeToTen(SeededHash.of(seed, SALT_DOCUMENT_NUMBER, 1), NATIONAL_ID_SPACE);
        this.nationalIdOffset = Math.floorMod(SeededHash.of(seed, SALT_DOCUMENT_NUMBER, 2), NATIONAL_ID_SPACE);
        this.passportMultiplier = coprimeToTen(SeededHash.of(seed, SALT_DOCUMENT_NUMBER, 3), PASSPORT_SPACE);
        this.passportOffset = Math.floorMod(SeededHash.of(seed, SALT_DOCUMENT_NUMBER, 4), PASSPORT_SPACE);

        mothers = new int[size];
        fathers = new int[size];
        IntStream.range(0, size).parallel().forEach(child -> {
            int mother = chooseMother(child);
            mothers[child] = mother;
            fathers[child] = mother < 0 ? -1 : chooseFather(child, mother, birthDay(child));
        });
        childStart = new int[size + 1];
        for (int child = 0; child < size; child++) {
            // counts first (in childStart[parent + 1]); a parent keeps at most MAX_CHILDREN links, in index order
            int mother = mothers[child];
            if (mother >= 0 && childStart[mother + 1] >= MAX_CHILDREN) {
                mothers[child] = -1;
                fathers[child] = -1;
                continue;
            }
            if (mother >= 0) {
                childStart[mother + 1]++;
            }
            int father = fathers[child];
            if (father >= 0 && childStart[father + 1] >= MAX_CHILDREN) {
                fathers[child] = -1;
            } else if (father >= 0) {
                childStart[father + 1]++;
            }
        }
        for (int i = 0; i < size; i++) {
            childStart[i + 1] += childStart[i];
        }
        children = new int[childStart[size]];
        for (int child = 0; child < size; child++) {
            if (mothers[child] >= 0) {
                children[childStart[mothers[child]]++] = child;
            }
            if (fathers[child] >= 0) {
                children[childStart[fathers[child]]++] = child;
            }
        }
        // each start has moved to its end, which is the next parent's start: shift back by one
        System.arraycopy(childStart, 0, childStart, 1, size);
        childStart[0] = 0;
        sortChildrenByBirth();
    }

    private static long coprimeToTen(long hash, long space) {
        long candidate = Math.floorMod(hash, space / 2) * 2 + 1;
        while (candidate % 5 == 0 || candidate < space / 10) {
            candidate = (candidate + space / 10 + 2) % space | 1;
        }
        return candidate;
    }

    /** Stratum sizes that add up to {@code size}, by the largest remainder of the expected counts. */
    private int[] layOutStrata() {
        int strata = provinces.count() * STRATA_PER_PROVINCE;
        double[] expected = new double[strata];
        long[] counts = new long[strata];
        long assigned = 0;
        for (int p = 0; p < provinces.count(); p++) {
            for (int sex = 0; sex < 2; sex++) {
                for (int age = 0; age < AgePyramid.AGES; age++) {
                    double sexShare = sex == MALE ? pyramid.maleShare(age) : 1 - pyramid.maleShare(age);
                    int s = stratum(p, sex, age);
                    expected[s] = size * provinces.share(p) * pyramid.share(age) * sexShare;
                    counts[s] = (long) Math.floor(expected[s]);
                    assigned += counts[s];
                }
            }
        }
        Integer[] order = new Integer[strata];
        for (int s = 0; s < strata; s++) {
            order[s] = s;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int byRemainder = Double.compare(expected[b] - counts[b], expected[a] - counts[a]);
            return byRemainder != 0 ? byRemainder : Integer.compare(a, b);
        });
        for (int k = 0; assigned < size; k++, assigned++) {
            counts[order[k % strata]]++;
        }
        int[] start = new int[strata + 1];
        for (int s = 0; s < strata; s++) {
            start[s + 1] = (int) (start[s] + counts[s]);
        }
        return start;
    }

    private static int stratum(int province, int sex, int age) {
        return province * STRATA_PER_PROVINCE + sex * AgePyramid.AGES + age;
    }

    private int stratumOf(int index) {
        return stratumOfIndex[index];
    }

    private int locateStratum(int index) {
        int position = (int) permutation.apply(index);
        int at = java.util.Arrays.binarySearch(strataStart, position);
        if (at >= 0) {
            // strata may be empty: the position belongs to the last stratum starting there
            while (at + 1 < strataStart.length && strataStart[at + 1] == position) {
                at++;
            }
            return at;
        }
        return -at - 2;
    }

    /** A random person of the stratum, or −1 when it is empty. */
    private int memberOf(int province, int sex, int age, SplittableRandom random) {
        if (age < 0 || age > AgePyramid.MAX_AGE) {
            return -1;
        }
        int s = stratum(province, sex, age);
        int count = strataStart[s + 1] - strataStart[s];
        if (count == 0) {
            return -1;
        }
        return (int) permutation.inverse(strataStart[s] + random.nextInt(count));
    }

    private long hash(long salt, int index) {
        return SeededHash.of(seed, salt, index);
    }

    // ---------------------------------------------------------------- identity

    public long seed() {
        return seed;
    }

    /** The number of persons of the initial population; newborns of a stream come after. */
    public int size() {
        return size;
    }

    public LocalDate referenceDate() {
        return referenceDate;
    }

    /** The reference date at midnight UTC: when the initial population was registered. */
    public Instant referenceInstant() {
        return referenceDate.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Provinces provinces() {
        return provinces;
    }

    public AdministrativeAreas areas() {
        return areas;
    }

    public AgePyramid pyramid() {
        return pyramid;
    }

    public boolean isNewborn(int index) {
        return index >= size;
    }

    /** A foreign resident (KIdC leading digit 2, foreign nationality, Latin names only). Newborns are citizens. */
    public boolean isForeign(int index) {
        return index < size && SeededHash.unit(hash(SALT_FOREIGN, index)) < FOREIGN_SHARE;
    }

    public String kidc(int index) {
        return allocator.kidcAt(index, isForeign(index) ? KidcKind.FOREIGN_RESIDENT : KidcKind.CITIZEN).value();
    }

    public boolean isMale(int index) {
        if (isNewborn(index)) {
            return SeededHash.unit(hash(SALT_NEWBORN, index)) < 0.512;
        }
        return (stratumOf(index) % STRATA_PER_PROVINCE) >= AgePyramid.AGES;
    }

    /** The province the person was laid out in (a minor may live in the mother's province instead). */
    public int stratumProvince(int index) {
        if (isNewborn(index)) {
            Newborn newborn = newborn(index);
            return newborn == null ? 0 : AdministrativeAreas.provinceOf(homeVillage(newborn.mother()));
        }
        return stratumOf(index) / STRATA_PER_PROVINCE;
    }

    /** Completed years of age at the reference date. */
    public int age(int index) {
        if (isNewborn(index)) {
            return 0;
        }
        return stratumOf(index) % AgePyramid.AGES;
    }

    /** The true birth date (epoch day); the registry may know it only in part ({@link #dateOfBirth(int)}). */
    public int birthDay(int index) {
        if (isNewborn(index)) {
            return referenceDay - SeededHash.below(SeededHash.mix(hash(SALT_NEWBORN, index)), 61);
        }
        return birthDay(index, age(index));
    }

    private int birthDay(int index, int age) {
        int first = firstBirthDay[age];
        return first + SeededHash.below(hash(SALT_BIRTH, index), lastBirthDay[age] - first + 1);
    }

    /** The birth date as the registry holds it: mostly the full date, sometimes only the year or year-month. */
    public String dateOfBirth(int index) {
        LocalDate date = LocalDate.ofEpochDay(birthDay(index));
        if (isNewborn(index)) {
            return date.toString();
        }
        int age = age(index);
        double u = SeededHash.unit(hash(SALT_PRECISION, index));
        double yearOnly = age >= 60 ? 0.10 : age >= 40 ? 0.04 : 0.02;
        if (u < yearOnly) {
            return String.format("%04d", date.getYear());
        }
        if (u < yearOnly + 0.02) {
            return String.format("%04d-%02d", date.getYear(), date.getMonthValue());
        }
        return date.toString();
    }

    // ---------------------------------------------------------------- family

    private int chooseMother(int child) {
        if (isForeign(child)) {
            return -1;
        }
        int age = age(child);
        // older people's parents are fewer and mostly gone: links thin out with age
        double linked = age < 18 ? 0.93 : age < 30 ? 0.85 : age < 40 ? 0.7 : age < 50 ? 0.45 : age < 60 ? 0.25 : 0.0;
        SplittableRandom random = new SplittableRandom(hash(SALT_MOTHER, child));
        if (random.nextDouble() >= linked) {
            return -1;
        }
        int childBirth = birthDay(child, age);
        int home = stratumOf(child) / STRATA_PER_PROVINCE;
        double sameProvince = age < 18 ? 0.95 : 0.85;
        for (int attempt = 0; attempt < 6; attempt++) {
            int gap = MOTHER_AGE_MIN + MOTHER_AGE_AT_BIRTH.pick(random.nextDouble());
            int motherAge = age + gap + random.nextInt(2);
            int province = random.nextDouble() < sameProvince ? home : provinces.pickByPopulation(random.nextDouble());
            int mother = memberOf(province, FEMALE, motherAge, random);
            if (mother >= 0 && !isForeign(mother) && yearsBetween(birthDay(mother, motherAge), childBirth, 16, 45)) {
                return mother;
            }
        }
        return -1;
    }

    /**
     * The husband of a woman of the population (the father of her children), or −1: a man of her province 2–5 years
     * older (the gap depends on the province). Women are paired with men by their rank within their strata, so that
     * no man has two wives.
     */
    public int husband(int woman) {
        if (isNewborn(woman) || isForeign(woman) || isMale(woman)) {
            return -1;
        }
        int wife = stratumOf(woman);
        int province = wife / STRATA_PER_PROVINCE;
        int husbandAge = wife % AgePyramid.AGES + 2 + province % 4;
        if (husbandAge > AgePyramid.MAX_AGE) {
            return -1;
        }
        int men = stratum(province, MALE, husbandAge);
        long rank = permutation.apply(woman) - strataStart[wife];
        if (rank >= strataStart[men + 1] - strataStart[men]) {
            return -1;  // more women than men of that age: she has no husband in the population
        }
        int husband = (int) permutation.inverse(strataStart[men] + rank);
        return isForeign(husband) ? -1 : husband;
    }

    private int chooseFather(int child, int mother, int childBirth) {
        if (SeededHash.unit(hash(SALT_FATHER, child)) >= 0.85) {
            return -1;
        }
        int father = husband(mother);
        if (father < 0 || !yearsBetween(birthDay(father), childBirth, 18, 55)) {
            return -1;
        }
        return father;
    }

    private static boolean yearsBetween(int olderDay, int youngerDay, int min, int max) {
        long years = ChronoUnit.YEARS.between(LocalDate.ofEpochDay(olderDay), LocalDate.ofEpochDay(youngerDay));
        return years >= min && years <= max;
    }

    private void sortChildrenByBirth() {
        IntStream.range(0, size).parallel().forEach(parent -> {
            int from = childStart[parent];
            int to = childStart[parent + 1];
            for (int i = from + 1; i < to; i++) {
                int child = children[i];
                int day = birthDay(child);
                int j = i - 1;
                while (j >= from && birthDay(children[j]) > day) {
                    children[j + 1] = children[j];
                    j--;
                }
                children[j + 1] = child;
            }
        });
    }

    /** The person's mother in the population, or −1. */
    public int mother(int index) {
        if (isNewborn(index)) {
            Newborn newborn = newborn(index);
            return newborn == null ? -1 : newborn.mother();
        }
        return mothers[index];
    }

    /** The person's father in the population, or −1. */
    public int father(int index) {
        if (isNewborn(index)) {
            Newborn newborn = newborn(index);
            return newborn == null ? -1 : newborn.father();
        }
        return fathers[index];
    }

    /** How many children of the initial population this person has (babies born in a stream are not counted). */
    public int childCount(int index) {
        return isNewborn(index) ? 0 : childStart[index + 1] - childStart[index];
    }

    /** The {@code k}-th child (oldest first). */
    public int child(int index, int k) {
        return children[childStart[index] + k];
    }

    /** The number of parent-child links (each link counted once). */
    public long linkCount() {
        return children.length;
    }

    /**
     * A baby born in a stream (index ≥ size): its mother is a citizen woman of the population aged 16–45, its father
     * her husband when he is 18–55 years older. {@code null} when no mother was found (the index is then skipped).
     */
    public Newborn newborn(int index) {
        if (!isNewborn(index)) {
            throw new IllegalArgumentException("not a newborn: " + index);
        }
        int birth = birthDay(index);
        SplittableRandom random = new SplittableRandom(hash(SALT_NEWBORN_MOTHER, index));
        for (int attempt = 0; attempt < 8; attempt++) {
            int motherAge = MOTHER_AGE_MIN + MOTHER_AGE_AT_BIRTH.pick(random.nextDouble()) + random.nextInt(2);
            int province = provinces.pickByPopulation(random.nextDouble());
            int mother = memberOf(province, FEMALE, motherAge, random);
            if (mother >= 0 && !isForeign(mother) && yearsBetween(birthDay(mother, motherAge), birth, 16, 45)) {
                return new Newborn(index, mother, chooseFather(index, mother, birth));
            }
        }
        return null;
    }

    /** A baby of a stream and its parents in the population (father −1 when unknown). */
    public record Newborn(int index, int mother, int father) {
    }

    // ---------------------------------------------------------------- names

    public Nationality nationality(int index) {
        return NameBook.FOREIGN.get(NameBook.FOREIGN_NATIONALITY.pick(hash(SALT_NATIONALITY, index)));
    }

    /** The family name the person was registered with. Children mostly carry their father's. */
    public Name familyName(int index) {
        if (isForeign(index)) {
            return nationality(index).family().get(nationality(index).family().pick(hash(SALT_FAMILY_NAME, index)));
        }
        int person = index;
        for (int depth = 0; depth < 12; depth++) {
            int father = father(person);
            if (father < 0 || SeededHash.unit(hash(SALT_INHERIT_NAME, person)) >= 0.7) {
                break;
            }
            person = father;
        }
        return NameBook.KHMER_FAMILY.get(NameBook.KHMER_FAMILY.pick(hash(SALT_FAMILY_NAME, person)));
    }

    /** The given name the person was registered with. */
    public Name givenName(int index) {
        return givenNameTable(index).get(givenNameTable(index).pick(hash(SALT_GIVEN_NAME, index)));
    }

    /** The names a person of this sex and nationality is given. */
    public NameTable givenNameTable(int index) {
        boolean male = isMale(index);
        if (isForeign(index)) {
            Nationality nationality = nationality(index);
            return male ? nationality.male() : nationality.female();
        }
        return male ? NameBook.KHMER_MALE : NameBook.KHMER_FEMALE;
    }

    // ---------------------------------------------------------------- places

    /** The village (an {@link AdministrativeAreas} key) the person was registered at. Minors live with the mother. */
    public int homeVillage(int index) {
        int person = index;
        for (int depth = 0; depth < 12; depth++) {
            int mother = mother(person);
            if (mother < 0 || age(person) >= 18) {
                break;
            }
            person = mother;
        }
        if (isNewborn(person)) {
            return 0;  // unreachable: every registered newborn has a mother
        }
        return areas.villageIn(stratumOf(person) / STRATA_PER_PROVINCE, hash(SALT_ADDRESS, person));
    }

    /** The commune of birth, or {@code null} for a foreign resident born abroad. */
    public Place placeOfBirth(int index) {
        long h = hash(SALT_BIRTH_PLACE, index);
        SplittableRandom random = new SplittableRandom(h);
        double u = random.nextDouble();
        if (isForeign(index)) {
            return u < 0.8 ? null : areas.place(areas.villageIn(stratumProvince(index), random.nextLong()));
        }
        int mother = mother(index);
        if (mother >= 0 && age(index) < 18) {
            int mothersHome = homeVillage(mother);
            return areas.place(u < 0.9 ? mothersHome
                    : areas.villageIn(AdministrativeAreas.provinceOf(mothersHome), random.nextLong()));
        }
        int home = homeVillage(index);
        if (u < 0.4) {
            return areas.place(home);
        }
        if (u < 0.8) {
            return areas.place(areas.villageIn(AdministrativeAreas.provinceOf(home), random.nextLong()));
        }
        return areas.place(areas.villageIn(provinces.pickByPopulation(random.nextDouble()), random.nextLong()));
    }

    // ---------------------------------------------------------------- civil status

    /** The marital status the person was registered with, consistent with age, sex and children. */
    public MaritalStatus maritalStatus(int index) {
        int age = age(index);
        if (age < 18) {
            return MaritalStatus.SINGLE;
        }
        boolean male = isMale(index);
        double everMarried;
        if (age < 20) {
            everMarried = male ? 0.05 : 0.20;
        } else if (age < 25) {
            everMarried = male ? 0.30 : 0.50;
        } else if (age < 30) {
            everMarried = male ? 0.62 : 0.75;
        } else if (age < 35) {
            everMarried = male ? 0.82 : 0.86;
        } else if (age < 45) {
            everMarried = male ? 0.90 : 0.92;
        } else {
            everMarried = male ? 0.94 : 0.95;
        }
        if (childCount(index) > 0) {
            everMarried = Math.max(everMarried, 0.93);
        }
        double widowed;
        if (age < 40) {
            widowed = male ? 0.01 : 0.02;
        } else if (age < 50) {
            widowed = male ? 0.02 : 0.05;
        } else if (age < 60) {
            widowed = male ? 0.03 : 0.12;
        } else if (age < 70) {
            widowed = male ? 0.07 : 0.28;
        } else {
            widowed = male ? 0.18 : 0.50;
        }
        double divorced = age >= 25 && age < 65 ? (male ? 0.03 : 0.04) : 0.02;
        double u = SeededHash.unit(hash(SALT_MARITAL, index));
        if (u >= everMarried) {
            return MaritalStatus.SINGLE;
        }
        double v = u / everMarried;
        if (v < widowed) {
            return MaritalStatus.WIDOWED;
        }
        if (v < widowed + divorced) {
            return MaritalStatus.DIVORCED;
        }
        return MaritalStatus.MARRIED;
    }

    // ---------------------------------------------------------------- documents

    /** The national identity card the person was registered with, or {@code null}. */
    public IdentityDocument nationalId(int index) {
        int age = age(index);
        if (isForeign(index) || age < 15) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(hash(SALT_NATIONAL_ID, index));
        if (random.nextDouble() >= (age < 18 ? 0.6 : 0.93)) {
            return null;
        }
        return document("NATIONAL_ID", nationalIdNumber(index, 0), index, 15, random);
    }

    /** The passport the person was registered with, or {@code null}: a few adults, more in Phnom Penh. */
    public IdentityDocument passport(int index) {
        int age = age(index);
        if (isForeign(index) || age < 18) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(hash(SALT_PASSPORT, index));
        boolean capital = provinces.get(AdministrativeAreas.provinceOf(homeVillage(index))).code()
                .equals(Provinces.PHNOM_PENH);
        if (random.nextDouble() >= (capital ? 0.15 : 0.05)) {
            return null;
        }
        return document("PASSPORT", passportNumber(index, 0), index, 18, random);
    }

    /** Issued within the ten years before the reference date, after the minimum age; valid ten years; 1% revoked. */
    private IdentityDocument document(String type, String number, int index, int minimumAge, SplittableRandom random) {
        long earliest = Math.max(referenceDate.minusYears(10).plusDays(1).toEpochDay(),
                LocalDate.ofEpochDay(birthDay(index)).plusYears(minimumAge).toEpochDay());
        LocalDate issuedOn = LocalDate.ofEpochDay(earliest + random.nextLong(referenceDay - earliest + 1));
        String status = random.nextDouble() < 0.01 ? IdentityDocument.REVOKED : IdentityDocument.VALID;
        return new IdentityDocument(type, number, issuedOn, issuedOn.plusYears(10).minusDays(1), status);
    }

    /** A nine-digit card number, unique over every (index, generation) of the seed. */
    public String nationalIdNumber(int index, int generation) {
        checkGeneration(generation);
        long serial = generation * KidcAllocator.CAPACITY + index;
        long number = Math.floorMod(nationalIdMultiplier * serial + nationalIdOffset, NATIONAL_ID_SPACE);
        String digits = Long.toString(number + NATIONAL_ID_SPACE);
        return digits.substring(1);
    }

    /** A passport number: a series letter for the generation and eight digits, unique over the seed. */
    public String passportNumber(int index, int generation) {
        checkGeneration(generation);
        long number = Math.floorMod(passportMultiplier * index + passportOffset, PASSPORT_SPACE);
        return PASSPORT_SERIES.charAt(generation) + Long.toString(number + PASSPORT_SPACE).substring(1);
    }

    private static void checkGeneration(int generation) {
        if (generation < 0 || generation >= DOCUMENT_GENERATIONS) {
            throw new IllegalArgumentException("document generation out of range: " + generation);
        }
    }

    public List<IdentityDocument> documents(int index) {
        if (isNewborn(index)) {
            return List.of();
        }
        IdentityDocument nationalId = nationalId(index);
        IdentityDocument passport = passport(index);
        if (nationalId == null && passport == null) {
            return List.of();
        }
        if (nationalId == null || passport == null) {
            return List.of(nationalId == null ? passport : nationalId);
        }
        return List.of(nationalId, passport);
    }

    // ---------------------------------------------------------------- the record

    /** The full record as registered (the payload of the person's {@code PersonRegistered} event). */
    public PersonRecord record(int index) {
        if (isNewborn(index)) {
            Newborn newborn = newborn(index);
            if (newborn == null) {
                throw new IllegalArgumentException("no baby was born with index " + index);
            }
            return newbornRecord(newborn);
        }
        boolean foreign = isForeign(index);
        Name family = familyName(index);
        Name given = givenName(index);
        String nationality = foreign ? nationality(index).code() : "KHM";
        return new PersonRecord(family.khmer(), given.khmer(), family.latin(), given.latin(),
                isMale(index) ? "M" : "F", dateOfBirth(index), placeOfBirth(index), nationality, nationality,
                maritalStatus(index).name(), parents(index), childrenKidcs(index),
                areas.address(homeVillage(index)), documents(index));
    }

    private PersonRecord newbornRecord(Newborn newborn) {
        int index = newborn.index();
        Name family = familyName(index);
        Name given = givenName(index);
        int home = homeVillage(newborn.mother());
        return new PersonRecord(family.khmer(), given.khmer(), family.latin(), given.latin(),
                isMale(index) ? "M" : "F", dateOfBirth(index), areas.place(home), "KHM", "KHM",
                MaritalStatus.SINGLE.name(), parents(index), List.of(), areas.address(home), List.of());
    }

    private List<String> parents(int index) {
        int mother = mother(index);
        int father = father(index);
        if (mother < 0) {
            return List.of();
        }
        return father < 0 ? List.of(kidc(mother)) : List.of(kidc(mother), kidc(father));
    }

    private List<String> childrenKidcs(int index) {
        int count = childCount(index);
        if (count == 0) {
            return List.of();
        }
        List<String> kidcs = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            kidcs.add(kidc(child(index, k)));
        }
        return List.copyOf(kidcs);
    }
}
