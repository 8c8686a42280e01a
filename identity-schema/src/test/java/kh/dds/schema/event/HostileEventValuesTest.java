package kh.dds.schema.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.text.SafeText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Registry events carrying values the replica cannot store or must not accept: each is malformed, with a reason that
 * names the field and never quotes the value; nothing hostile gets through decoding, and nothing but a
 * {@link MalformedEventException} comes out of it.
 */
class HostileEventValuesTest {

    private static final RegistryEventCodec CODEC = new RegistryEventCodec();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Every string the spec's example event carries, by its path as a reason names it. */
    private static final List<String> STRING_FIELDS = List.of("eventId", "type", "kidc", "occurredAt",
            "payload.familyNameKh", "payload.givenNameKh", "payload.familyNameLatin", "payload.givenNameLatin",
            "payload.sex", "payload.dateOfBirth", "payload.placeOfBirth.province", "payload.placeOfBirth.district",
            "payload.placeOfBirth.commune", "payload.nationality", "payload.citizenship", "payload.maritalStatus",
            "payload.address.province", "payload.address.district", "payload.address.commune",
            "payload.address.village", "payload.documents[0].type", "payload.documents[0].number",
            "payload.documents[0].issuedOn", "payload.documents[0].expiresOn", "payload.documents[0].status");

    private static final List<String> NAMES = List.of("payload.familyNameKh", "payload.givenNameKh",
            "payload.familyNameLatin", "payload.givenNameLatin");

    @Property
    void aControlCharacterInAnyStringIsMalformedAndNamed(@ForAll("stringFields") String field,
                                                          @ForAll("controlCharacters") char control,
                                                          @ForAll @IntRange(min = 0, max = 3) int at) {
        String original = valueAt(field);
        String hostile = original.substring(0, Math.min(at, original.length())) + control
                + original.substring(Math.min(at, original.length()));
        assertReason(field + ": contains a control character", with(field, NODES.textNode(hostile)));
    }

    @Property
    void anUnpairedSurrogateInAnyStringIsMalformedAndNamed(@ForAll("stringFields") String field,
                                                            @ForAll("surrogates") char surrogate) {
        assertReason(field + ": contains an unpaired surrogate",
                with(field, NODES.textNode(valueAt(field) + surrogate)));
    }

    @Property
    void aNumberOrStructureWhereAStringBelongsIsMalformedAndNamed(@ForAll("stringFields") String field,
                                                                   @ForAll("nonStrings") JsonNode value) {
        assertReason(field + ": must be a string", with(field, value));
    }

    @Property
    void namesUpToTwoHundredCharactersAreKeptWhole(@ForAll("names") String name, @ForAll("nameFields") String field) {
        RegistryEvent event = CODEC.decode(with(field, NODES.textNode(name)));
        PersonRecord record = (PersonRecord) event.payload();
        List<String> names = List.of(record.familyNameKh(), record.givenNameKh(), record.familyNameLatin(),
                record.givenNameLatin());
        assertEquals(name, names.get(NAMES.indexOf(field)));
    }

    @Property(tries = 200)
    void namesLongerThanTwoHundredCharactersAreMalformed(@ForAll("nameFields") String field,
                                                         @ForAll @IntRange(min = 201, max = 5000) int length) {
        // astral characters: two UTF-16 units each, one character each
        String name = "𝐀".repeat(length);
        assertReason(field + ": longer than 200 characters", with(field, NODES.textNode(name)));
    }

    @Property
    void aSequenceThatIsNotAWholeNumberFromOneIsMalformed(@ForAll("badSequences") JsonNode sequence) {
        ObjectNode event = example();
        event.set("sequence", sequence);
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> CODEC.decode(write(event)));
        assertTrue(e.reason().startsWith("sequence: must be a whole number from 1"), e.reason());
        assertEquals("1000000028", e.kidc(), "the KIdC is still known, the sequence is not");
        assertEquals(0, e.sequence());
    }

    /**
     * Whatever replaces whatever part of a valid event, decoding either refuses it as malformed or returns an event
     * whose every string is storable and bounded.
     */
    @Property(tries = 2000)
    void anyMutationIsMalformedOrStorable(@ForAll("paths") String path, @ForAll("anyValues") JsonNode value) {
        String json = with(path, value);
        RegistryEvent event;
        try {
            event = CODEC.decode(json);
        } catch (MalformedEventException e) {
            assertNull(SafeText.problemWith(e.reason(), 300), "the reason itself is safe: " + e.reason());
            return;
        }
        assertStorable(CODEC.mapper().valueToTree(event));
    }

    @Property(tries = 2000)
    void anyBytesAreMalformedOrAStorableEvent(@ForAll("bytes") byte[] bytes) {
        RegistryEvent event;
        try {
            event = CODEC.decode(bytes);
        } catch (MalformedEventException e) {
            assertNull(SafeText.problemWith(e.reason(), 300), "the reason itself is safe: " + e.reason());
            return;
        }
        assertStorable(CODEC.mapper().valueToTree(event));
    }

    @Property
    void anEscapedReasonHoldsNoControlCharacterAndIsBounded(@ForAll String text) {
        String escaped = SafeText.escaped(text, 100);
        assertNull(SafeText.problemWith(escaped, 200));
        assertTrue(escaped.length() <= 107, escaped);
    }

    @Test
    void aReasonIsEscapedReadably() {
        assertEquals("a\\u0000b\\u005Cc\\uD800", SafeText.escaped("a\u0000b\\c\uD800", 100));
        assertEquals("abc…", SafeText.escaped("abcdef", 3));
        assertEquals("ស𝐀", SafeText.escaped("ស𝐀", 100));
    }

    @Test
    void jsonThatIsNotJustOneEventIsMalformed() {
        String example = write(example());
        assertReason("not JSON: a field named twice", example.replaceFirst("\\{", "{\"kidc\":\"1000000036\","));
        assertReason("not JSON", example + " {}");
        String deep = "[".repeat(20) + "]".repeat(20);
        assertReason("not JSON: nested deeper than 16 levels",
                example.replaceFirst("\\{", "{\"extra\":" + deep + ","));
        assertReason("not JSON: nested deeper than 16 levels", "[".repeat(100_000));
        assertReason("not a JSON object", "");
        assertReason("not a JSON object", "[1]");
        assertReason("not a JSON object", "null");
    }

    @Test
    void bytesThatAreNotUtf8AreMalformed() {
        byte[] utf8 = write(example()).getBytes(StandardCharsets.UTF_8);
        byte[] broken = utf8.clone();
        int at = write(example()).indexOf("SOK");
        broken[at] = (byte) 0xC3;
        broken[at + 1] = (byte) 0x28;
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> CODEC.decode(broken));
        assertTrue(e.reason().startsWith("not JSON"), e.reason());
        byte[] lone = utf8.clone();
        lone[at] = (byte) 0xFF;
        assertThrows(MalformedEventException.class, () -> CODEC.decode(lone));
    }

    @Test
    void datesOutsideWhatPostgresqlAndTheRegistryHoldAreMalformed() {
        assertReason("occurredAt: must be in the years 1800-2999",
                with("occurredAt", NODES.textNode("+1000000-01-01T00:00:00Z")));
        assertReason("occurredAt: must be in the years 1800-2999",
                with("occurredAt", NODES.textNode("0001-01-01T00:00:00Z")));
        assertReason("payload.documents[0].expiresOn: must be YYYY-MM-DD",
                with("payload.documents[0].expiresOn", NODES.textNode("+999999999-12-31")));
        assertReason("payload.documents[0].issuedOn: must be in the years 1800-2999",
                with("payload.documents[0].issuedOn", NODES.textNode("0099-01-01")));
        assertReason("payload.documents[0].issuedOn: must be YYYY-MM-DD",
                with("payload.documents[0].issuedOn", NODES.textNode("2020-02-30")));
        assertReason("payload.dateOfBirth: year out of range", with("payload.dateOfBirth", NODES.textNode("0999")));
    }

    @Test
    void identifiersMustBeTheirCanonicalForm() {
        assertReason("eventId: must be a UUID", with("eventId", NODES.textNode("1-1-1-1-1")));
        assertReason("payload.address.district: must be 4 digits extending 12",
                with("payload.address.district", NODES.textNode("12០១")));
        ObjectNode event = example();
        event.put("kidc", "1000000036");
        assertReason("sequence: PersonRegistered must have sequence 1",
                write(event).replace("\"sequence\":1", "\"sequence\":3"));
    }

    @Test
    void familyLinksAndDocumentsAreBoundedValidAndDistinct() {
        assertReason("payload.parents[0]: the person's own KIdC", withArray("parents", "1000000028"));
        assertReason("payload.parents[1]: listed twice", withArray("parents", "1000000036", "1000000036"));
        assertReason("payload.parents: more than 4 entries",
                withArray("parents", "1000000036", "1000000044", "1000000052", "1000000060", "1000000079"));
        assertReason("payload.children[0]: check digit does not match", withArray("children", "1000000037"));
        assertReason("payload.children[0]: must be a string", with("payload.children", array(NODES.numberNode(1))));
        ArrayNode documents = NODES.arrayNode();
        for (int i = 0; i < 33; i++) {
            documents.add(example().path("payload").path("documents").get(0).deepCopy());
        }
        assertReason("payload.documents: more than 32 entries", with("payload.documents", documents));
        ArrayNode twice = NODES.arrayNode();
        twice.add(documents.get(0)).add(documents.get(1));
        assertReason("payload.documents[1].number: the same document is listed twice",
                with("payload.documents", twice));
        assertReason("payload.documents[0].number: longer than 32 characters",
                with("payload.documents[0].number", NODES.textNode("1".repeat(33))));
        assertReason("payload.parents: must be an array", with("payload.parents", NODES.textNode("1000000036")));
    }

    // ---------------------------------------------------------------------------------------------- generators

    @Provide
    Arbitrary<String> stringFields() {
        return Arbitraries.of(STRING_FIELDS);
    }

    @Provide
    Arbitrary<String> nameFields() {
        return Arbitraries.of(NAMES);
    }

    @Provide
    Arbitrary<Character> controlCharacters() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'), Arbitraries.just('\u007f'));
    }

    @Provide
    Arbitrary<Character> surrogates() {
        return Arbitraries.chars().range('\uD800', '\uDFFF');
    }

    @Provide
    Arbitrary<JsonNode> nonStrings() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.arrayNode().add("SOK")),
                Arbitraries.just(NODES.objectNode().put("value", "SOK")));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<Character> letters = Arbitraries.oneOf(Arbitraries.chars().range('A', 'Z'),
                Arbitraries.chars().range('\u1780', '\u17B3'), Arbitraries.just(' '), Arbitraries.just('\''));
        Arbitrary<String> plain = letters.list().ofMinSize(1).ofMaxSize(200).map(chars -> {
            StringBuilder out = new StringBuilder();
            chars.forEach(out::append);
            return out.toString();
        }).filter(s -> !s.isBlank());
        Arbitrary<String> astral = Arbitraries.integers().between(1, 200).map("𝐀"::repeat);
        return Arbitraries.oneOf(plain, astral);
    }

    @Provide
    Arbitrary<JsonNode> badSequences() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(Long.MIN_VALUE, 0).map(NODES::numberNode),
                Arbitraries.longs().between(RegistryEventCodec.MAX_SEQUENCE + 1, Long.MAX_VALUE).map(NODES::numberNode),
                Arbitraries.of(1.0, 1.5, 7e0, 1e30, -0.0).map(NODES::numberNode),
                Arbitraries.just(NODES.numberNode(new java.math.BigInteger("99999999999999999999999"))),
                Arbitraries.of("1", "7", "", "one").map(NODES::textNode),
                Arbitraries.just(NODES.booleanNode(true)),
                Arbitraries.just(NODES.arrayNode().add(1)),
                Arbitraries.just(NODES.nullNode()));
    }

    @Provide
    Arbitrary<String> paths() {
        List<String> paths = new ArrayList<>(STRING_FIELDS);
        paths.addAll(List.of("sequence", "payload", "payload.placeOfBirth", "payload.address", "payload.parents",
                "payload.children", "payload.documents", "payload.documents[0]", "payload.unknownExtra", "extra"));
        return Arbitraries.of(paths);
    }

    @Provide
    Arbitrary<JsonNode> anyValues() {
        Arbitrary<String> hostile = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> bigString = Arbitraries.integers().between(0, 3).map(n -> "x".repeat(100 * (int) Math.pow(10, n)));
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                hostile.map(NODES::textNode),
                bigString.map(NODES::textNode),
                Arbitraries.of("1000000036", "2020-01-01", "1990", "12", "1201", "KHM", "PASSPORT", "M")
                        .map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        Arbitrary<JsonNode> arrays = scalars.list().ofMaxSize(70).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(Arbitraries.of("province", "number", "type", "x"), scalars)
                .as((key, value) -> (JsonNode) NODES.objectNode().set(key, value));
        return Arbitraries.oneOf(scalars, arrays, objects);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        byte[] valid = write(example()).getBytes(StandardCharsets.UTF_8);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(500);
        Arbitrary<byte[]> flipped = Combinators.combine(Arbitraries.integers().between(0, valid.length - 1),
                Arbitraries.bytes()).as((at, b) -> {
                    byte[] copy = valid.clone();
                    copy[at] = b;
                    return copy;
                });
        return Arbitraries.oneOf(random, flipped);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static ObjectNode example() {
        try {
            return (ObjectNode) MAPPER.readTree(RegistryEventCodecTest.REGISTERED);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The example event with the value at {@code path} (dots and [i] as in reasons) replaced, as JSON text. */
    private static String with(String path, JsonNode value) {
        ObjectNode root = example();
        String[] steps = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < steps.length - 1; i++) {
            parent = step(parent, steps[i]);
        }
        String last = steps[steps.length - 1];
        if (last.endsWith("]")) {
            String name = last.substring(0, last.indexOf('['));
            int index = Integer.parseInt(last.substring(last.indexOf('[') + 1, last.length() - 1));
            ((ArrayNode) parent.get(name)).set(index, value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return write(root);
    }

    private static JsonNode step(JsonNode node, String step) {
        if (step.endsWith("]")) {
            return node.get(step.substring(0, step.indexOf('['))).get(
                    Integer.parseInt(step.substring(step.indexOf('[') + 1, step.length() - 1)));
        }
        return node.get(step);
    }

    private static String valueAt(String path) {
        JsonNode node = example();
        for (String step : path.split("\\.")) {
            node = step(node, step);
        }
        return node.asText();
    }

    private static String withArray(String field, String... kidcs) {
        ArrayNode array = NODES.arrayNode();
        for (String kidc : kidcs) {
            array.add(kidc);
        }
        return with("payload." + field, array);
    }

    private static ArrayNode array(JsonNode... items) {
        ArrayNode array = NODES.arrayNode();
        for (JsonNode item : items) {
            array.add(item);
        }
        return array;
    }

    private static void assertReason(String reason, String json) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> CODEC.decode(json));
        assertEquals(reason, e.reason());
    }

    /** Every string in the tree can be stored and is bounded. */
    private static void assertStorable(JsonNode node) {
        if (node.isTextual()) {
            assertNull(SafeText.problemWith(node.asText(), RegistryEventCodec.MAX_TEXT), node.asText());
        }
        node.forEach(HostileEventValuesTest::assertStorable);
    }
}
