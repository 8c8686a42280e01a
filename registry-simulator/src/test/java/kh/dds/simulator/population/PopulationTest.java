package kh.dds.simulator.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.schema.kidc.Kidc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The synthetic population of 100,000 persons: identity, realism of its structure, and consistency of its links. */
class PopulationTest {

    private static final int N = 100_000;
    private static Population population;
    private static PersonRecord[] records;
    private static Map<String, Integer> indexByKidc;

    @BeforeAll
    static void build() {
        population = new Population(7, N);
        records = new PersonRecord[N];
        indexByKidc = new HashMap<>(N * 2);
        for (int i = 0; i < N; i++) {
            records[i] = population.record(i);
            indexByKidc.put(population.kidc(i), i);
        }
    }

    @Test
    void kidcsAreValidUniqueAndOfTheRightKind() {
        assertEquals(N, indexByKidc.size(), "every person has a distinct KIdC");
        for (int i = 0; i < N; i++) {
            String kidc = population.kidc(i);
            assertTrue(Kidc.isValid(kidc), kidc);
            assertEquals(population.isForeign(i) ? '2' : '1', kidc.charAt(0));
        }
    }

    @Test
    void sameSeedGivesTheSamePersonsAndAnotherSeedOthers() {
        Population again = new Population(7, N);
        Population other = new Population(8, N);
        int differing = 0;
        for (int i = 0; i < N; i += 97) {
            assertEquals(records[i], again.record(i));
            assertEquals(population.kidc(i), again.kidc(i));
            if (!records[i].equals(other.record(i))) {
                differing++;
            }
        }
        assertTrue(differing > 1000 * 0.95, "another seed gives other persons: " + differing);
    }

    @Test
    void recordsAreValidPersonRegisteredPayloads() {
        RegistryEventCodec codec = new RegistryEventCodec();
        // one in seven (the codec's strict reading is slow under the tests' C1-only JIT); the snapshot test reads all
        for (int i = 0; i < N; i += 7) {
            RegistryEvent event = new RegistryEvent(EventIds.registration(7, i), EventType.PersonRegistered,
                    population.kidc(i), 1, population.referenceInstant(), records[i]);
            RegistryEvent decoded = codec.decode(codec.encode(event));
            assertEquals(records[i], decoded.payload());
        }
    }

    @Test
    void namesAreInBothScriptsForCitizensAndLatinOnlyForForeignResidents() {
        for (int i = 0; i < N; i++) {
            PersonRecord r = records[i];
            assertEquals(r.familyNameLatin().toUpperCase(), r.familyNameLatin());
            assertEquals(r.givenNameLatin().toUpperCase(), r.givenNameLatin());
            if (population.isForeign(i)) {
                assertNull(r.familyNameKh());
                assertNull(r.givenNameKh());
                assertNotEquals("KHM", r.nationality());
                assertEquals(r.nationality(), r.citizenship());
            } else {
                assertTrue(r.familyNameKh().codePoints().allMatch(c -> c >= 0x1780 && c <= 0x17FF), r.familyNameKh());
                assertTrue(r.givenNameKh().codePoints().allMatch(c -> c >= 0x1780 && c <= 0x17FF), r.givenNameKh());
                assertEquals("KHM", r.nationality());
            }
        }
    }

    @Test
    void aFewFamilyNamesAreVeryCommon() {
        Map<String, Integer> counts = new HashMap<>();
        for (PersonRecord r : records) {
            counts.merge(r.familyNameLatin(), 1, Integer::sum);
        }
        List<Integer> sorted = counts.values().stream().sorted((a, b) -> b - a).toList();
        int topFive = sorted.subList(0, 5).stream().mapToInt(Integer::intValue).sum();
        assertEquals(sorted.get(0), counts.get("SOK"), "Sok is the most common family name");
        assertTrue(topFive > 0.25 * N && topFive < 0.40 * N, "top five family names: " + topFive);
    }

    @Test
    void sexAndForeignResidentsHaveRealisticShares() {
        long males = 0;
        long foreign = 0;
        for (int i = 0; i < N; i++) {
            males += records[i].sex().equals("M") ? 1 : 0;
            foreign += population.isForeign(i) ? 1 : 0;
        }
        assertTrue(males > 0.48 * N && males < 0.50 * N, "men: " + males);
        assertTrue(foreign > 0.01 * N && foreign < 0.02 * N, "foreign residents: " + foreign);
    }

    @Test
    void theAgePyramidIsYoungAndNarrowsAbove35() {
        double[] bands = new double[19];
        for (int i = 0; i < N; i++) {
            PartialDate birth = PartialDate.parse(records[i].dateOfBirth());
            int age = population.age(i);
            assertTrue(!birth.earliest().isAfter(population.referenceDate()), "born before the reference date");
            long years = ChronoUnit.YEARS.between(LocalDate.ofEpochDay(population.birthDay(i)),
                    population.referenceDate());
            assertEquals(age, years);
            bands[age / 5] += 100.0 / N;
        }
        for (int band = 0; band < 7; band++) {
            assertTrue(bands[band] >= 8 && bands[band] <= 10.5, "band " + band * 5 + ": " + bands[band] + "%");
        }
        for (int band = 7; band < 19; band++) {
            assertTrue(bands[band] < bands[band - 1], "band " + band * 5 + " is smaller than the one before");
        }
        double old = 0;
        for (int band = 13; band < 19; band++) {
            old += bands[band];
        }
        assertTrue(old > 4 && old < 6.5, "65 and over: " + old + "%");
    }

    @Test
    void partialBirthDatesHaveTheirShares() {
        int yearOnly = 0;
        int yearMonth = 0;
        for (PersonRecord r : records) {
            int length = r.dateOfBirth().length();
            yearOnly += length == 4 ? 1 : 0;
            yearMonth += length == 7 ? 1 : 0;
        }
        assertTrue(yearOnly > 0.02 * N && yearOnly < 0.04 * N, "year only: " + yearOnly);
        assertTrue(yearMonth > 0.01 * N && yearMonth < 0.03 * N, "year and month: " + yearMonth);
    }

    @Test
    void provincesAreWeightedByPopulation() {
        int[] counts = new int[25];
        for (PersonRecord r : records) {
            counts[Integer.parseInt(r.address().province()) - 1]++;
            assertTrue(r.address().village().startsWith(r.address().commune()));
        }
        Provinces provinces = Provinces.cambodia();
        for (int p = 0; p < 25; p++) {
            double expected = provinces.share(p) * N;
            double tolerance = Math.max(0.1 * expected, 0.002 * N);
            assertTrue(Math.abs(counts[p] - expected) < tolerance,
                    provinces.get(p).nameLatin() + ": " + counts[p] + " persons, expected about " + expected);
        }
    }

    @Test
    void theAdministrativeTreeHasItsSizesAndCodes() {
        AdministrativeAreas areas = population.areas();
        Set<String> villages = new HashSet<>();
        for (int p = 0; p < 25; p++) {
            assertTrue(areas.districtCount(p) >= 5 && areas.districtCount(p) <= 14);
            for (int d = 0; d < areas.districtCount(p); d++) {
                assertTrue(areas.communeCount(p, d) >= 5 && areas.communeCount(p, d) <= 12);
                for (int c = 0; c < areas.communeCount(p, d); c++) {
                    assertTrue(areas.villageCount(p, d, c) >= 5 && areas.villageCount(p, d, c) <= 15);
                    for (int v = 0; v < areas.villageCount(p, d, c); v++) {
                        String village = areas.address(AdministrativeAreas.key(p, d, c, v)).village();
                        assertEquals(8, village.length());
                        assertTrue(villages.add(village));
                    }
                }
            }
        }
    }

    @Test
    void mostPlacesOfBirthAreInTheProvinceOfTheAddress() {
        int same = 0;
        int known = 0;
        for (PersonRecord r : records) {
            if (r.placeOfBirth() != null) {
                known++;
                same += r.placeOfBirth().province().equals(r.address().province()) ? 1 : 0;
            }
        }
        assertTrue(same > 0.75 * known, "born in the province they live in: " + same + " of " + known);
    }

    @Test
    void parentAndChildLinksAreSymmetricAndAgeConsistent() {
        int underSixty = 0;
        int underSixtyWithParents = 0;
        for (int i = 0; i < N; i++) {
            PersonRecord child = records[i];
            String kidc = population.kidc(i);
            LocalDate born = LocalDate.ofEpochDay(population.birthDay(i));
            for (int k = 0; k < child.parents().size(); k++) {
                int parent = indexByKidc.get(child.parents().get(k));
                PersonRecord p = records[parent];
                assertTrue(p.children().contains(kidc), "the parent lists the child");
                long years = ChronoUnit.YEARS.between(LocalDate.ofEpochDay(population.birthDay(parent)), born);
                if (k == 0) {
                    assertEquals("F", p.sex(), "the first parent is the mother");
                    assertTrue(years >= 16 && years <= 45, "mother " + years + " years older");
                } else {
                    assertEquals("M", p.sex(), "the second parent is the father");
                    assertTrue(years >= 18 && years <= 55, "father " + years + " years older");
                }
            }
            for (String childKidc : child.children()) {
                assertTrue(records[indexByKidc.get(childKidc)].parents().contains(kidc), "the child lists the parent");
            }
            assertTrue(child.children().size() <= Population.MAX_CHILDREN);
            if (population.age(i) < 60) {
                underSixty++;
                underSixtyWithParents += child.parents().isEmpty() ? 0 : 1;
            }
        }
        assertTrue(underSixtyWithParents > 0.6 * underSixty,
                "persons under 60 with parents: " + underSixtyWithParents + " of " + underSixty);
    }

    @Test
    void parentsAreMostlyOfTheSameProvinceAndMinorsLiveWithTheirMother() {
        int adultsWithMother = 0;
        int sameProvince = 0;
        for (int i = 0; i < N; i++) {
            int mother = population.mother(i);
            if (mother < 0) {
                continue;
            }
            if (population.age(i) < 18) {
                assertEquals(records[mother].address(), records[i].address(), "a minor lives at the mother's address");
            } else {
                adultsWithMother++;
                sameProvince += records[mother].address().province().equals(records[i].address().province()) ? 1 : 0;
            }
        }
        assertTrue(sameProvince > 0.75 * adultsWithMother, sameProvince + " of " + adultsWithMother);
    }

    @Test
    void maritalStatusFitsAge() {
        int adults = 0;
        int married = 0;
        int oldWidowed = 0;
        int old = 0;
        for (int i = 0; i < N; i++) {
            int age = population.age(i);
            String status = records[i].maritalStatus();
            if (age < 18) {
                assertEquals("SINGLE", status);
                continue;
            }
            adults++;
            married += status.equals("MARRIED") ? 1 : 0;
            if (age >= 70) {
                old++;
                oldWidowed += status.equals("WIDOWED") ? 1 : 0;
            }
        }
        assertTrue(married > 0.55 * adults && married < 0.8 * adults, "married adults: " + married);
        assertTrue(oldWidowed > 0.15 * old, "widowed among the 70+: " + oldWidowed + " of " + old);
    }

    @Test
    void documentsAreIssuedWithinTenYearsForTenYears() {
        LocalDate reference = population.referenceDate();
        int citizens15 = 0;
        int withNationalId = 0;
        int documents = 0;
        int revoked = 0;
        int passports = 0;
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < N; i++) {
            int age = population.age(i);
            boolean hasNationalId = false;
            for (IdentityDocument document : records[i].documents()) {
                documents++;
                assertTrue(numbers.add(document.type() + document.number()), "document numbers are unique");
                assertTrue(document.issuedOn().isAfter(reference.minusYears(10)));
                assertFalse(document.issuedOn().isAfter(reference));
                assertEquals(document.issuedOn().plusYears(10).minusDays(1), document.expiresOn());
                LocalDate born = LocalDate.ofEpochDay(population.birthDay(i));
                if (document.type().equals("NATIONAL_ID")) {
                    hasNationalId = true;
                    assertEquals(9, document.number().length());
                    assertFalse(document.issuedOn().isBefore(born.plusYears(15)));
                } else {
                    passports++;
                    assertFalse(document.issuedOn().isBefore(born.plusYears(18)));
                }
                revoked += document.status().equals(IdentityDocument.REVOKED) ? 1 : 0;
            }
            if (age >= 15 && !population.isForeign(i)) {
                citizens15++;
                withNationalId += hasNationalId ? 1 : 0;
            } else {
                assertFalse(hasNationalId, "no national ID under 15 or for a foreign resident");
            }
        }
        assertTrue(withNationalId > 0.85 * citizens15, withNationalId + " of " + citizens15 + " hold a national ID");
        assertTrue(passports > 0.02 * N && passports < 0.10 * N, "passports: " + passports);
        assertTrue(revoked > 0 && revoked < 0.03 * documents, "revoked: " + revoked + " of " + documents);
    }

    @Test
    void newbornsHaveAMotherOfTheRightAgeInThePopulation() {
        int born = 0;
        for (int index = N; index < N + 2000; index++) {
            Population.Newborn baby = population.newborn(index);
            if (baby == null) {
                continue;
            }
            born++;
            PersonRecord record = population.record(index);
            assertEquals(population.kidc(baby.mother()), record.parents().get(0));
            assertEquals("F", records[baby.mother()].sex());
            assertEquals(records[baby.mother()].address(), record.address());
            assertTrue(Kidc.isValid(population.kidc(index)));
            assertFalse(indexByKidc.containsKey(population.kidc(index)), "a baby gets a new KIdC");
            assertNotNull(record.placeOfBirth());
        }
        assertTrue(born > 1900, "babies with a mother: " + born);
    }
}
