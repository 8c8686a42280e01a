package kh.dds.simulator.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import kh.dds.schema.event.EventPayload;
import kh.dds.schema.event.EventPayload.AddressChange;
import kh.dds.schema.event.EventPayload.CivilStatusChange;
import kh.dds.schema.event.EventPayload.Death;
import kh.dds.schema.event.EventPayload.DocumentIssue;
import kh.dds.schema.event.EventPayload.DocumentRevocation;
import kh.dds.schema.event.EventPayload.Merge;
import kh.dds.schema.event.EventPayload.NameChange;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.event.EventType;
import kh.dds.schema.event.IdentityDocument;
import kh.dds.schema.event.MaritalStatus;
import kh.dds.schema.event.Place;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.schema.kidc.KidcAllocator;
import kh.dds.simulator.population.AdministrativeAreas;
import kh.dds.simulator.population.EventIds;
import kh.dds.simulator.population.NameTable;
import kh.dds.simulator.population.NameTable.Name;
import kh.dds.simulator.population.Population;
import kh.dds.simulator.population.SeededHash;

/**
 * Generates the life events of a population, one at a time. Event number {@code n} is drawn from a random generator
 * seeded by (seed, n) and from the {@link RegistryLedger}, so the same seed, population and ledger always give the
 * same events (only {@code occurredAt} comes from the clock). Each event carries the next sequence of its person;
 * no event is ever about a deceased or retired person, except the revocation of a deceased person's documents.
 *
 * <p>What each kind of event does:
 * <ul>
 *   <li>{@code PersonRegistered}: a baby, the next index after the population, whose mother is an active woman of the
 *       population aged 16–45 (the father her husband when his age fits); the parents' records are not
 *       re-published;</li>
 *   <li>{@code AddressChanged}: an adult moves, mostly within the province;</li>
 *   <li>{@code CivilStatusChanged}: an adult marries, divorces, is widowed or remarries;</li>
 *   <li>{@code DocumentIssued}: a national ID for a citizen of 15 or more who lacks a valid one or whose card expires
 *       within a year, else a passport for an adult who lacks one;</li>
 *   <li>{@code DocumentRevoked}: a document the person holds; half of them, while any are waiting, those of persons
 *       who died;</li>
 *   <li>{@code PersonDeceased}: weighted to the old (a Gompertz curve, with an infant bump);</li>
 *   <li>{@code NameChanged}: an adult takes a new given name, or a married woman her husband's family name;</li>
 *   <li>{@code PersonCorrected}: the full record of a person the stream has not touched yet, with a partial birth date
 *       completed or a place of birth corrected;</li>
 *   <li>{@code PersonMerged}: a person is found to be a duplicate of another active person of the same sex.</li>
 * </ul>
 * A stream's address changes are not followed by the minors living with the person, and a renewed document does not
 * revoke the old one.
 */
public final class LifeEvents {

    private static final long SALT_EVENT = 0x4556454e54L;
    private static final long SALT_MOVE = 0x4d4f5645L;
    private static final long SALT_RENAME = 0x52454e414d45L;
    private static final int ATTEMPTS = 64;
    private static final int DEATH_ATTEMPTS = 400;

    private final Population population;
    private final RegistryLedger ledger;
    private final EventMix mix;
    private final int malformedPerMillion;
    private final RegistryEventCodec codec;
    private final Clock clock;
    private final long seed;
    private final LocalDate referenceDate;
    private final int referenceDay;
    private final AdministrativeAreas areas;
    private final EnumMap<EventType, Long> counts = new EnumMap<>(EventType.class);
    private long malformedCount;

    public LifeEvents(Population population, RegistryLedger ledger, EventMix mix, int malformedPerMillion,
                      RegistryEventCodec codec, Clock clock) {
        if (ledger.seed() != population.seed() || ledger.persons() != population.size()) {
            throw new IllegalArgumentException("the ledger belongs to another population");
        }
        if (malformedPerMillion < 0 || malformedPerMillion > 1_000_000) {
            throw new IllegalArgumentException("--malformed-per-million must be 0 to 1000000");
        }
        this.population = population;
        this.ledger = ledger;
        this.mix = mix;
        this.malformedPerMillion = malformedPerMillion;
        this.codec = codec;
        this.clock = clock;
        this.seed = population.seed();
        this.referenceDate = population.referenceDate();
        this.referenceDay = (int) referenceDate.toEpochDay();
        this.areas = population.areas();
    }

    public RegistryLedger ledger() {
        return ledger;
    }

    /** How many events of each type this generator has produced (not carried over a restart). */
    public Map<EventType, Long> counts() {
        return Map.copyOf(counts);
    }

    public long malformedCount() {
        return malformedCount;
    }

    /** The next event of the stream; the ledger then reflects it. */
    public OutgoingEvent next() {
        long number = ledger.nextEvent();
        SplittableRandom random = new SplittableRandom(SeededHash.of(seed, SALT_EVENT, number));
        // always drawn, so that turning malformed events on changes those events and no others
        boolean malformed = random.nextInt(1_000_000) < malformedPerMillion;
        Change change = switch (mix.pick(random.nextDouble())) {
            case PersonRegistered -> birth(random);
            case PersonCorrected -> correction(random);
            case NameChanged -> nameChange(random);
            case AddressChanged -> move(random, 18);
            case CivilStatusChanged -> civilStatusChange(random);
            case DocumentIssued -> documentIssue(random);
            case DocumentRevoked -> documentRevocation(random);
            case PersonDeceased -> death(random);
            case PersonMerged -> merge(random);
        };
        if (change == null) {
            change = move(random, 0);
        }
        if (change == null) {
            throw new IllegalStateException("no active person is left to write an event about");
        }
        boolean birth = change.type() == EventType.PersonRegistered;
        long sequence = birth ? 1 : ledger.nextSequence(change.index());
        Instant occurredAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        RegistryEvent event = new RegistryEvent(EventIds.lifeEvent(seed, number), change.type(),
                population.kidc(change.index()), sequence, occurredAt, change.payload());
        boolean broken = malformed && !birth;
        String value;
        if (broken) {
            value = malformedJson(event);
            malformedCount++;
        } else {
            value = codec.encode(event);
            change.effect().run();
        }
        counts.merge(change.type(), 1L, Long::sum);
        ledger.advanceEvent();
        return new OutgoingEvent(number, event.kidc(), value, event.type(), sequence, broken);
    }

    private record Change(int index, EventType type, EventPayload payload, Runnable effect) {
    }

    private int pick(SplittableRandom random, IntPredicate eligible) {
        int size = ledger.size();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int index = random.nextInt(size);
            if (ledger.isActive(index) && eligible.test(index)) {
                return index;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- births

    private Change birth(SplittableRandom random) {
        for (int attempt = 0; attempt < 8 && ledger.size() < KidcAllocator.CAPACITY; attempt++) {
            int index = ledger.size();
            Population.Newborn newborn = population.newborn(index);
            if (newborn != null && ledger.isActive(newborn.mother())) {
                PersonRecord record = population.record(index);
                return new Change(index, EventType.PersonRegistered, record,
                        () -> ledger.append(RegistryLedger.ACTIVE));
            }
            ledger.append(RegistryLedger.UNUSED);
        }
        return null;
    }

    // ---------------------------------------------------------------- addresses

    private Change move(SplittableRandom random, int minimumAge) {
        int index = pick(random, person -> population.age(person) >= minimumAge);
        if (index < 0) {
            return null;
        }
        int generation = ledger.moves(index) == 255 ? 1 : ledger.moves(index) + 1;
        return new Change(index, EventType.AddressChanged,
                new AddressChange(areas.address(village(index, generation))), () -> ledger.countMove(index));
    }

    /** The village the person lives in after {@code moves} moves (0: the registered address). */
    int village(int index, int moves) {
        if (moves == 0) {
            return population.homeVillage(index);
        }
        int village = movedTo(index, moves);
        int before = moves == 1 ? population.homeVillage(index) : movedTo(index, moves - 1);
        if (village == before) {
            int count = areas.villageCount(AdministrativeAreas.provinceOf(village), (village >>> 8) & 0xF,
                    (village >>> 4) & 0xF);
            village = AdministrativeAreas.communeOf(village) + ((village & 0xF) + 1) % count;
        }
        return village;
    }

    private int movedTo(int index, int moves) {
        long hash = SeededHash.of(seed, SALT_MOVE, index, moves);
        int home = AdministrativeAreas.provinceOf(population.homeVillage(index));
        int province = SeededHash.unit(hash) < 0.7 ? home
                : population.provinces().pickByPopulation(SeededHash.mix(hash));
        return areas.villageIn(province, SeededHash.mix(hash ^ 0x2545F4914F6CDD1DL));
    }

    // ---------------------------------------------------------------- civil status

    MaritalStatus maritalStatus(int index) {
        MaritalStatus set = ledger.maritalStatus(index);
        return set != null ? set : population.maritalStatus(index);
    }

    private Change civilStatusChange(SplittableRandom random) {
        int index = pick(random, person -> population.age(person) >= 18);
        if (index < 0) {
            return null;
        }
        MaritalStatus next = switch (maritalStatus(index)) {
            case SINGLE, DIVORCED, WIDOWED -> MaritalStatus.MARRIED;
            case MARRIED -> random.nextDouble() < (population.age(index) < 50 ? 0.6 : 0.25)
                    ? MaritalStatus.DIVORCED : MaritalStatus.WIDOWED;
        };
        return new Change(index, EventType.CivilStatusChanged, new CivilStatusChange(next.name()),
                () -> ledger.setMaritalStatus(index, next));
    }

    // ---------------------------------------------------------------- names

    /** The person's names after {@code changes} name changes. */
    Name[] names(int index, int changes) {
        Name family = population.familyName(index);
        Name given = population.givenName(index);
        int husband = -2;
        for (int change = 1; change <= changes; change++) {
            long hash = SeededHash.of(seed, SALT_RENAME, index, change);
            if (!population.isForeign(index) && !population.isMale(index) && SeededHash.unit(hash) < 0.35) {
                if (husband == -2) {
                    husband = population.husband(index);
                }
                if (husband >= 0) {
                    Name husbandsName = population.familyName(husband);
                    if (!husbandsName.equals(family)) {
                        family = husbandsName;
                        continue;
                    }
                }
            }
            NameTable table = population.givenNameTable(index);
            int k = table.pick(SeededHash.mix(hash));
            if (table.get(k).equals(given)) {
                k = (k + 1) % table.size();
            }
            given = table.get(k);
        }
        return new Name[] {family, given};
    }

    private Change nameChange(SplittableRandom random) {
        int index = pick(random, person -> population.age(person) >= 18
                && ledger.nameChanges(person) < RegistryLedger.MAX_NAME_CHANGES);
        if (index < 0) {
            return null;
        }
        Name[] names = names(index, ledger.nameChanges(index) + 1);
        return new Change(index, EventType.NameChanged,
                new NameChange(names[0].khmer(), names[1].khmer(), names[0].latin(), names[1].latin()),
                () -> ledger.countNameChange(index));
    }

    // ---------------------------------------------------------------- corrections

    private Change correction(SplittableRandom random) {
        int index = -1;
        for (int attempt = 0; attempt < ATTEMPTS && index < 0; attempt++) {
            int candidate = random.nextInt(ledger.persons());
            if (!ledger.touched(candidate)) {
                index = candidate;
            }
        }
        if (index < 0) {
            return null;
        }
        PersonRecord registered = population.record(index);
        String dateOfBirth = registered.dateOfBirth();
        Place placeOfBirth = registered.placeOfBirth();
        if (dateOfBirth.length() < 10) {
            dateOfBirth = LocalDate.ofEpochDay(population.birthDay(index)).toString();
        } else if (placeOfBirth != null) {
            int province = Integer.parseInt(placeOfBirth.province()) - 1;
            Place corrected = areas.place(areas.villageIn(province, random.nextLong()));
            if (corrected.equals(placeOfBirth)) {
                dateOfBirth = LocalDate.parse(dateOfBirth).minusDays(1 + random.nextInt(3)).toString();
            }
            placeOfBirth = corrected;
        } else {
            dateOfBirth = LocalDate.parse(dateOfBirth).minusDays(1 + random.nextInt(3)).toString();
        }
        PersonRecord corrected = new PersonRecord(registered.familyNameKh(), registered.givenNameKh(),
                registered.familyNameLatin(), registered.givenNameLatin(), registered.sex(), dateOfBirth,
                placeOfBirth, registered.nationality(), registered.citizenship(), registered.maritalStatus(),
                registered.parents(), registered.children(), registered.address(), registered.documents());
        return new Change(index, EventType.PersonCorrected, corrected, () -> { });
    }

    // ---------------------------------------------------------------- documents

    private IdentityDocument registeredDocument(int index, int type) {
        if (population.isNewborn(index)) {
            return null;
        }
        return type == RegistryLedger.NATIONAL_ID ? population.nationalId(index) : population.passport(index);
    }

    boolean holdsValid(int index, int type) {
        if (ledger.documentRevoked(index, type)) {
            return false;
        }
        if (ledger.documentGeneration(index, type) > 0) {
            return true;
        }
        IdentityDocument registered = registeredDocument(index, type);
        return registered != null && IdentityDocument.VALID.equals(registered.status());
    }

    /** The number of the person's current document of the type (the caller knows there is one). */
    String documentNumber(int index, int type) {
        int generation = ledger.documentGeneration(index, type);
        if (generation == 0) {
            return registeredDocument(index, type).number();
        }
        return type == RegistryLedger.NATIONAL_ID ? population.nationalIdNumber(index, generation)
                : population.passportNumber(index, generation);
    }

    private boolean needsNationalId(int index) {
        int generation = ledger.documentGeneration(index, RegistryLedger.NATIONAL_ID);
        if (generation >= RegistryLedger.MAX_DOCUMENT_GENERATION) {
            return false;
        }
        if (!holdsValid(index, RegistryLedger.NATIONAL_ID)) {
            return true;
        }
        if (generation > 0) {
            return false;
        }
        IdentityDocument registered = population.nationalId(index);
        return registered.expiresOn().isBefore(referenceDate.plusYears(1));
    }

    private boolean needsPassport(int index) {
        return population.age(index) >= 18
                && ledger.documentGeneration(index, RegistryLedger.PASSPORT) < RegistryLedger.MAX_DOCUMENT_GENERATION
                && !holdsValid(index, RegistryLedger.PASSPORT);
    }

    private Change documentIssue(SplittableRandom random) {
        int index = pick(random, person -> !population.isForeign(person) && population.age(person) >= 15
                && (needsNationalId(person) || needsPassport(person)));
        if (index < 0) {
            return null;
        }
        int type = needsNationalId(index) ? RegistryLedger.NATIONAL_ID : RegistryLedger.PASSPORT;
        int generation = ledger.documentGeneration(index, type) + 1;
        boolean nationalId = type == RegistryLedger.NATIONAL_ID;
        long earliest = LocalDate.ofEpochDay(population.birthDay(index)).plusYears(nationalId ? 15 : 18).toEpochDay();
        LocalDate issuedOn = LocalDate.ofEpochDay(Math.max(referenceDay - random.nextInt(31), earliest));
        IdentityDocument document = new IdentityDocument(nationalId ? "NATIONAL_ID" : "PASSPORT",
                nationalId ? population.nationalIdNumber(index, generation)
                        : population.passportNumber(index, generation),
                issuedOn, issuedOn.plusYears(10).minusDays(1), IdentityDocument.VALID);
        return new Change(index, EventType.DocumentIssued, new DocumentIssue(document),
                () -> ledger.issueDocument(index, type));
    }

    private Change documentRevocation(SplittableRandom random) {
        if (ledger.hasPendingRevocation() && random.nextDouble() < 0.5) {
            int deceased = ledger.firstPendingRevocation();
            boolean nationalId = holdsValid(deceased, RegistryLedger.NATIONAL_ID);
            boolean passport = holdsValid(deceased, RegistryLedger.PASSPORT);
            if (nationalId || passport) {
                int type = nationalId ? RegistryLedger.NATIONAL_ID : RegistryLedger.PASSPORT;
                boolean last = !(nationalId && passport);
                return revocation(deceased, type, () -> {
                    ledger.revokeDocument(deceased, type);
                    if (last) {
                        ledger.dropFirstPendingRevocation();
                    }
                });
            }
            ledger.dropFirstPendingRevocation();
        }
        int index = pick(random, person -> holdsValid(person, RegistryLedger.NATIONAL_ID)
                || holdsValid(person, RegistryLedger.PASSPORT));
        if (index < 0) {
            return null;
        }
        boolean nationalId = holdsValid(index, RegistryLedger.NATIONAL_ID);
        boolean passport = holdsValid(index, RegistryLedger.PASSPORT);
        int type = nationalId && (!passport || random.nextDouble() < 0.7)
                ? RegistryLedger.NATIONAL_ID : RegistryLedger.PASSPORT;
        return revocation(index, type, () -> ledger.revokeDocument(index, type));
    }

    private Change revocation(int index, int type, Runnable effect) {
        String typeName = type == RegistryLedger.NATIONAL_ID ? "NATIONAL_ID" : "PASSPORT";
        return new Change(index, EventType.DocumentRevoked,
                new DocumentRevocation(typeName, documentNumber(index, type)), effect);
    }

    // ---------------------------------------------------------------- deaths and merges

    /** The relative chance of dying within the year at this age: Gompertz, 1 from 85 on, with an infant bump. */
    static double mortality(int age) {
        if (age == 0) {
            return 0.02;
        }
        return Math.min(1.0, 0.0003 + Math.exp(0.09 * (age - 85)));
    }

    private Change death(SplittableRandom random) {
        int chosen = -1;
        int oldest = -1;
        int oldestAge = -1;
        int size = ledger.size();
        for (int attempt = 0; attempt < DEATH_ATTEMPTS && chosen < 0; attempt++) {
            int candidate = random.nextInt(size);
            if (!ledger.isActive(candidate)) {
                continue;
            }
            int age = population.age(candidate);
            if (random.nextDouble() < mortality(age)) {
                chosen = candidate;
            } else if (age > oldestAge) {
                oldest = candidate;
                oldestAge = age;
            }
        }
        int index = chosen >= 0 ? chosen : oldest;
        if (index < 0) {
            return null;
        }
        LocalDate dateOfDeath = LocalDate.ofEpochDay(Math.max(referenceDay - random.nextInt(31),
                population.birthDay(index)));
        return new Change(index, EventType.PersonDeceased, new Death(dateOfDeath), () -> {
            ledger.setStatus(index, RegistryLedger.DECEASED);
            if (holdsValid(index, RegistryLedger.NATIONAL_ID) || holdsValid(index, RegistryLedger.PASSPORT)) {
                ledger.queueRevocation(index);
            }
        });
    }

    private Change merge(SplittableRandom random) {
        int duplicate = pick(random, person -> true);
        if (duplicate < 0) {
            return null;
        }
        boolean male = population.isMale(duplicate);
        int survivor = pick(random, person -> person != duplicate && population.isMale(person) == male);
        if (survivor < 0) {
            return null;
        }
        return new Change(duplicate, EventType.PersonMerged, new Merge(population.kidc(survivor)),
                () -> ledger.setStatus(duplicate, RegistryLedger.RETIRED));
    }

    // ---------------------------------------------------------------- malformed events

    private String malformedJson(RegistryEvent event) {
        try {
            ObjectNode node = (ObjectNode) codec.mapper().readTree(codec.encode(event));
            node.putObject("payload").put("simulatorNote",
                    "deliberately malformed: the required fields of " + event.type() + " are missing");
            return codec.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
