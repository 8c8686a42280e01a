package kh.dds.simulator.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.PartialDate;
import kh.dds.simulator.claims.ClaimMix.ClaimKind;
import kh.dds.simulator.claims.VerificationClaims.Claim;
import kh.dds.simulator.population.Population;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Verification request bodies drawn from the synthetic population: mix, subjects, shape, determinism. */
class VerificationClaimsTest {

    private static final int PERSONS = 20_000;
    private static final int COUNT = 20_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Population population;
    private static Map<String, Integer> indexByKidc;

    @BeforeAll
    static void build() {
        population = new Population(42, PERSONS);
        indexByKidc = new HashMap<>(PERSONS * 2);
        for (int i = 0; i < PERSONS; i++) {
            indexByKidc.put(population.kidc(i), i);
        }
    }

    @Test
    void theMixHasTheAskedProportions() {
        VerificationClaims claims = new VerificationClaims(population, ClaimMix.parse("70,15,15"), "KYC_ACCOUNT_OPENING");
        Map<ClaimKind, Integer> counts = new EnumMap<>(ClaimKind.class);
        for (int n = 0; n < COUNT; n++) {
            counts.merge(claims.claim(n).kind(), 1, Integer::sum);
        }
        assertShare(0.70, counts.get(ClaimKind.MATCH));
        assertShare(0.15, counts.get(ClaimKind.PARTIAL));
        assertShare(0.15, counts.get(ClaimKind.MISMATCH));

        VerificationClaims onlyMismatches = new VerificationClaims(population, ClaimMix.parse("0,0,1"), "X");
        for (int n = 0; n < 100; n++) {
            assertEquals(ClaimKind.MISMATCH, onlyMismatches.claim(n).kind());
        }
    }

    private static void assertShare(double expected, int count) {
        double share = (double) count / COUNT;
        assertTrue(Math.abs(share - expected) < 0.015, "share " + share + ", expected about " + expected);
    }

    @Test
    void everyKidcIsThePopulationsAndTheBodyHoldsOnlyTheApisFields() throws Exception {
        VerificationClaims claims = new VerificationClaims(population, ClaimMix.parse(ClaimMix.DEFAULT_SPEC),
                "KYC_ACCOUNT_OPENING");
        Set<String> top = Set.of("kidc", "purpose", "claims", "conditions");
        Set<String> claimFields = Set.of("familyName", "givenName", "dateOfBirth", "sex", "address");
        int adults = 0;
        for (int n = 0; n < COUNT; n++) {
            Claim claim = claims.claim(n);
            JsonNode body = MAPPER.readTree(claim.body());
            String kidc = body.get("kidc").asText();
            assertEquals(claim.index(), indexByKidc.get(kidc), kidc);
            assertEquals("KYC_ACCOUNT_OPENING", body.get("purpose").asText());
            fieldsWithin(body, top);
            fieldsWithin(body.get("claims"), claimFields);
            PartialDate.parse(body.get("claims").get("dateOfBirth").asText());
            adults += population.age(claim.index()) >= 18 ? 1 : 0;
        }
        assertTrue(adults > 0.85 * COUNT, "mostly adults: " + adults);
    }

    private static void fieldsWithin(JsonNode node, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(allowed.contains(name), "unexpected field " + name);
        }
    }

    @Test
    void eachKindClaimsWhatItSays() throws Exception {
        VerificationClaims claims = new VerificationClaims(population, ClaimMix.parse(ClaimMix.DEFAULT_SPEC), "P");
        Map<ClaimKind, Integer> khmer = new EnumMap<>(ClaimKind.class);
        for (int n = 0; n < 5_000; n++) {
            Claim claim = claims.claim(n);
            PersonRecord record = population.record(claim.index());
            JsonNode c = MAPPER.readTree(claim.body()).get("claims");
            String family = c.get("familyName").asText();
            String given = c.get("givenName").asText();
            String birth = c.get("dateOfBirth").asText();
            boolean familyAsRegistered = family.equals(record.familyNameLatin()) || family.equals(record.familyNameKh());
            boolean givenAsRegistered = given.equals(record.givenNameLatin()) || given.equals(record.givenNameKh());
            if (c.has("sex")) {
                assertEquals(record.sex(), c.get("sex").asText());
            }
            if (c.has("address")) {
                assertEquals(record.address().province(), c.get("address").get("province").asText());
            }
            switch (claim.kind()) {
                case MATCH -> {
                    assertTrue(familyAsRegistered && givenAsRegistered, claim.body());
                    assertEquals(record.dateOfBirth(), birth);
                    if (family.equals(record.familyNameKh())) {
                        khmer.merge(ClaimKind.MATCH, 1, Integer::sum);
                    }
                }
                case PARTIAL -> {
                    boolean nameOff = !familyAsRegistered || !givenAsRegistered;
                    boolean dateOff = !birth.equals(record.dateOfBirth());
                    assertTrue(nameOff ^ dateOff, "exactly one claim is off: " + claim.body());
                    if (dateOff) {
                        PartialDate claimed = PartialDate.parse(birth);
                        PartialDate registered = PartialDate.parse(record.dateOfBirth());
                        assertNotEquals(registered.precision(), claimed.precision());
                        assertTrue(!claimed.latest().isBefore(registered.earliest())
                                && !registered.latest().isBefore(claimed.earliest()), claim.body());
                    }
                }
                case MISMATCH -> {
                    boolean namesOff = !givenAsRegistered;
                    boolean dateOff = !birth.equals(record.dateOfBirth());
                    assertTrue(namesOff ^ dateOff, "names or date wrong: " + claim.body());
                    if (dateOff) {
                        PartialDate claimed = PartialDate.parse(birth);
                        PartialDate registered = PartialDate.parse(record.dateOfBirth());
                        assertTrue(claimed.latest().isBefore(registered.earliest())
                                || registered.latest().isBefore(claimed.earliest()), claim.body());
                    }
                }
                default -> throw new AssertionError(claim.kind());
            }
        }
        assertTrue(khmer.getOrDefault(ClaimKind.MATCH, 0) > 500, "some claims in Khmer script: " + khmer);
    }

    @Test
    void variantsAreCloseRomanisationsThatDiffer() {
        SplittableRandom random = new SplittableRandom(1);
        assertEquals("SOKH", VerificationClaims.variant("SOK", new SplittableRandom(3)));
        for (String name : new String[] {"SOK", "DARA", "CHEA", "RITHY", "SUN", "CHAN", "PICH", "NARITH", "LY", "VAN HUNG"}) {
            for (int i = 0; i < 20; i++) {
                String variant = VerificationClaims.variant(name, random);
                assertNotEquals(name, variant);
                assertTrue(variant.startsWith(name.substring(0, 1)), variant);
                assertTrue(Math.abs(variant.length() - name.length()) == 1 || variant.length() == name.length(), variant);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameBodies() {
        VerificationClaims one = new VerificationClaims(population, ClaimMix.parse("70,15,15"), "P");
        VerificationClaims two = new VerificationClaims(new Population(42, PERSONS), ClaimMix.parse("70,15,15"), "P");
        VerificationClaims otherSeed = new VerificationClaims(new Population(43, PERSONS), ClaimMix.parse("70,15,15"),
                "P");
        int differ = 0;
        for (int n = 0; n < 500; n++) {
            assertEquals(one.claim(n), two.claim(n));
            differ += one.claim(n).body().equals(otherSeed.claim(n).body()) ? 0 : 1;
        }
        assertEquals(500, differ);
    }
}
