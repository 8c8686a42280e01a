package kh.dds.simulator.claims;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.PartialDate;
import kh.dds.simulator.claims.ClaimMix.ClaimKind;
import kh.dds.simulator.population.Population;
import kh.dds.simulator.population.SeededHash;

/**
 * Request bodies for {@code POST /v1/verifications} about the persons of a synthetic population, as a bank's tellers
 * would send them: request {@code n} is drawn from a generator seeded by (seed, n), so the same population, mix and
 * {@code n} always give the same body.
 *
 * <p>Who: a person of the population drawn uniformly, mostly adults (a minor is kept one time in six). What:
 * <ul>
 *   <li>{@link ClaimKind#MATCH}: family and given name as registered, in Khmer script (a third of the citizens) or
 *       in Latin script, and the birth date exactly as registered (a full date but for the few persons the registry
 *       knows to the year or month only);</li>
 *   <li>{@link ClaimKind#PARTIAL}: the same, but either one Latin name is a close transliteration of the registered
 *       one (SOK → SOKH, DARA → DAARA, CHEA → CHIA, RITHY → RITHI, SUN → SOUN, CHAN → CHANN) or the birth date is
 *       given at another precision than the registry's (year-month or year for a full date, a full date within the
 *       year or month the registry knows);</li>
 *   <li>{@link ClaimKind#MISMATCH}: either another person's names (whose given name differs) with this person's
 *       birth date, or this person's names with a wrong birth date (1 to 15 years off).</li>
 * </ul>
 * Whatever the kind, a request sometimes also claims the sex (30%) or the province of the address (20%), both as
 * registered, and sometimes asks {@code "conditions":{"ageAtLeast":18}} (25%). No other field is sent: the API refuses
 * unknown fields.
 *
 * <p>The claims are built on the records as the population registered them; a replica that has since followed a
 * stream of life events (name changes, deaths, merges) answers a few of them otherwise.
 */
public final class VerificationClaims {

    private static final long SALT_CLAIM = 0x636c61696d73L; // "claims"
    private static final double MINOR_KEPT = 1.0 / 6;
    private static final double KHMER_SCRIPT = 1.0 / 3;

    private final Population population;
    private final ClaimMix mix;
    private final String purpose;
    private final ObjectMapper mapper = new ObjectMapper();

    public VerificationClaims(Population population, ClaimMix mix, String purpose) {
        this.population = population;
        this.mix = mix;
        this.purpose = purpose;
    }

    /** One request: the person it is about (population index), what it is meant to get, and its JSON body. */
    public record Claim(int index, ClaimKind kind, String body) {
    }

    public Claim claim(long n) {
        SplittableRandom random = new SplittableRandom(SeededHash.of(population.seed(), SALT_CLAIM, n));
        int index = person(random);
        ClaimKind kind = mix.kind(random.nextDouble());
        PersonRecord record = population.record(index);
        boolean khmer = record.familyNameKh() != null && record.givenNameKh() != null
                && random.nextDouble() < KHMER_SCRIPT;
        String family = khmer ? record.familyNameKh() : record.familyNameLatin();
        String given = khmer ? record.givenNameKh() : record.givenNameLatin();
        String birth = record.dateOfBirth();
        switch (kind) {
            case MATCH -> {
            }
            case PARTIAL -> {
                if (random.nextBoolean()) {
                    // a Latin name a little off (a close variant exists in Latin script only), the other as registered
                    if (random.nextBoolean()) {
                        family = variant(record.familyNameLatin(), random);
                        given = record.givenNameLatin();
                    } else {
                        family = record.familyNameLatin();
                        given = variant(record.givenNameLatin(), random);
                    }
                } else {
                    birth = otherPrecision(birth, random);
                }
            }
            case MISMATCH -> {
                if (random.nextBoolean()) {
                    PersonRecord other = population.record(someoneElse(index, record, random));
                    boolean otherKhmer = khmer && other.familyNameKh() != null && other.givenNameKh() != null;
                    family = otherKhmer ? other.familyNameKh() : other.familyNameLatin();
                    given = otherKhmer ? other.givenNameKh() : other.givenNameLatin();
                } else {
                    birth = wrongDate(birth, population.referenceDate(), random);
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("kidc", population.kidc(index));
        body.put("purpose", purpose);
        ObjectNode claims = body.putObject("claims");
        claims.put("familyName", family);
        claims.put("givenName", given);
        claims.put("dateOfBirth", birth);
        if (random.nextDouble() < 0.30) {
            claims.put("sex", record.sex());
        }
        if (random.nextDouble() < 0.20 && record.address() != null) {
            claims.putObject("address").put("province", record.address().province());
        }
        if (random.nextDouble() < 0.25) {
            body.putObject("conditions").put("ageAtLeast", 18);
        }
        try {
            return new Claim(index, kind, mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private int person(SplittableRandom random) {
        int index = random.nextInt(population.size());
        for (int tries = 0; tries < 20 && population.age(index) < 18 && random.nextDouble() >= MINOR_KEPT; tries++) {
            index = random.nextInt(population.size());
        }
        return index;
    }

    /** Another person whose given name (Latin) is not this person's. */
    private int someoneElse(int index, PersonRecord record, SplittableRandom random) {
        int other = index;
        for (int tries = 0; tries < 50; tries++) {
            other = random.nextInt(population.size());
            if (other != index && !population.record(other).givenNameLatin().equals(record.givenNameLatin())) {
                return other;
            }
        }
        return other;
    }

    /**
     * A close romanisation of an upper-case Latin name, of the kinds that vary most in Khmer romanisation: a final
     * H added (SOK → SOKH) or dropped (PICH → PIC, NARITH → NARIT), a vowel A or a final N, M or L doubled
     * (DARA → DAARA, CHAN → CHANN), EA written IA, a final Y written I, U written OU. Each keeps the name's phonetic
     * key (KH/PH/TH/CH and K/P/T/C alike, final H dropped, doubled letters collapsed, EA/IA, Y/I and OU/U alike) while
     * changing its letters, which the API's matcher answers {@code PARTIAL}.
     */
    static String variant(String name, SplittableRandom random) {
        List<String> variants = new ArrayList<>(6);
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.endsWith("H")) {
            variants.add(upper + "H");
        } else if (upper.length() > 2) {
            variants.add(upper.substring(0, upper.length() - 1));
        }
        for (int i = 1; i + 1 < upper.length(); i++) {
            if (upper.charAt(i) == 'A' && isConsonant(upper.charAt(i - 1)) && isConsonant(upper.charAt(i + 1))) {
                variants.add(upper.substring(0, i + 1) + upper.substring(i));
                break;
            }
        }
        if (upper.length() > 2 && "NML".indexOf(upper.charAt(upper.length() - 1)) >= 0
                && isVowel(upper.charAt(upper.length() - 2))) {
            variants.add(upper + "N");
        }
        int ea = upper.indexOf("EA");
        if (ea > 0) {
            variants.add(upper.substring(0, ea) + "IA" + upper.substring(ea + 2));
        }
        if (upper.length() > 2 && upper.endsWith("Y") && isConsonant(upper.charAt(upper.length() - 2))) {
            variants.add(upper.substring(0, upper.length() - 1) + "I");
        }
        for (int i = 1; i < upper.length(); i++) {
            if (upper.charAt(i) == 'U' && isConsonant(upper.charAt(i - 1))
                    && (i + 1 == upper.length() || isConsonant(upper.charAt(i + 1)))) {
                variants.add(upper.substring(0, i) + "OU" + upper.substring(i + 1));
                break;
            }
        }
        return variants.get(random.nextInt(variants.size()));
    }

    private static boolean isVowel(char c) {
        return "AEIOUY".indexOf(c) >= 0;
    }

    private static boolean isConsonant(char c) {
        return c >= 'A' && c <= 'Z' && !isVowel(c) && c != 'H';
    }

    /** The registered birth date at another precision, consistent with it. */
    static String otherPrecision(String registered, SplittableRandom random) {
        PartialDate date = PartialDate.parse(registered);
        return switch (date.precision()) {
            case DAY -> random.nextDouble() < 0.7 ? registered.substring(0, 7) : registered.substring(0, 4);
            case MONTH -> random.nextBoolean() ? registered.substring(0, 4) : someDay(date, random).toString();
            case YEAR -> someDay(date, random).toString();
        };
    }

    private static LocalDate someDay(PartialDate date, SplittableRandom random) {
        LocalDate first = date.earliest();
        return first.plusDays(random.nextLong(date.latest().toEpochDay() - first.toEpochDay() + 1));
    }

    /** A full date of birth 1 to 15 years away from the registered one, so it disagrees at any precision. */
    static String wrongDate(String registered, LocalDate referenceDate, SplittableRandom random) {
        LocalDate first = PartialDate.parse(registered).earliest();
        int years = 1 + random.nextInt(15);
        LocalDate wrong = random.nextBoolean() ? first.minusYears(years) : first.plusYears(years);
        if (wrong.getYear() >= referenceDate.getYear()) {
            wrong = first.minusYears(years); // not born in the future
        }
        return wrong.plusDays(random.nextInt(28)).toString();
    }
}
