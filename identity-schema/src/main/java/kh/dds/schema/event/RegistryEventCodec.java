package kh.dds.schema.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import kh.dds.schema.event.EventPayload.AddressChange;
import kh.dds.schema.event.EventPayload.CivilStatusChange;
import kh.dds.schema.event.EventPayload.Death;
import kh.dds.schema.event.EventPayload.DocumentIssue;
import kh.dds.schema.event.EventPayload.DocumentRevocation;
import kh.dds.schema.event.EventPayload.Merge;
import kh.dds.schema.event.EventPayload.NameChange;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.text.SafeText;

/**
 * Reads and writes registry events in the registry's JSON. Reading checks everything SPEC §3 requires: unknown extra
 * fields are ignored, a missing or ill-formed required field makes the event malformed, with a reason that names the
 * field.
 *
 * <p>Reading also refuses every value the replica could not store faithfully or should not pass on (SPEC §4's input
 * rules applied to the registry's input): a control character (U+0000–U+001F, U+007F) or an unpaired surrogate in any
 * string the event carries (PostgreSQL's {@code jsonb} refuses {@code \u0000}, and a lone surrogate would be stored
 * as {@code ?}); a string longer than its bound (names 200 characters, document numbers 32); a number where a string
 * belongs or the other way round; more parents, children or documents than a person can have; a date outside the
 * years 1800–2999 (PostgreSQL's own range is wider, Java's wider still: a year 999999999 would be refused by the
 * database, not here); a field named twice; anything after the event's closing brace; JSON nested deeper than
 * {@value #MAX_NESTING} levels. A reason never quotes the value it refuses, only the field's path.
 */
public final class RegistryEventCodec {

    /** The longest name, in characters (code points), as SPEC §4 bounds every name a caller sends. */
    public static final int MAX_NAME = 200;
    /** The longest document number: national IDs have 9 digits, passports 8–9 characters. */
    public static final int MAX_DOCUMENT_NUMBER = 32;
    /** The longest of any other string; each also has a format of its own that is far shorter. */
    public static final int MAX_TEXT = 200;
    public static final int MAX_PARENTS = 4;
    public static final int MAX_CHILDREN = 64;
    public static final int MAX_DOCUMENTS = 32;
    /** The deepest nesting of arrays and objects read; an event itself nests four levels. */
    public static final int MAX_NESTING = 16;
    /** The highest sequence: a person's version, far beyond any person's number of events, safe to count on from. */
    public static final long MAX_SEQUENCE = Integer.MAX_VALUE;
    public static final int FIRST_YEAR = 1800;
    public static final int LAST_YEAR = 2999;

    private static final Set<String> SEXES = Set.of("M", "F");
    private static final Set<String> DOCUMENT_TYPES = Set.of("NATIONAL_ID", "PASSPORT");
    private static final Set<String> DOCUMENT_STATUSES = Set.of(IdentityDocument.VALID, IdentityDocument.REVOKED);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE_TEXT = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Instant EARLIEST = Instant.parse(FIRST_YEAR + "-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse((LAST_YEAR + 1) + "-01-01T00:00:00Z");

    private final ObjectMapper mapper;
    private final ObjectMapper reader;

    public RegistryEventCodec() {
        this(defaultMapper());
    }

    public RegistryEventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = strictReader();
    }

    /**
     * The mapper events are read with: it refuses a field named twice (two readers could otherwise take different
     * values for it), trailing content after the event, and nesting beyond {@link #MAX_NESTING} before a tree of it
     * is built.
     */
    private static ObjectMapper strictReader() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public String encode(RegistryEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("eventId", event.eventId());
        node.put("type", event.type().name());
        node.put("kidc", event.kidc());
        node.put("sequence", event.sequence());
        node.put("occurredAt", event.occurredAt().toString());
        node.set("payload", mapper.valueToTree(event.payload()));
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event.eventId(), e);
        }
    }

    /** Reads an event from UTF-8 bytes; bytes that are not UTF-8 are not JSON. */
    public RegistryEvent decode(byte[] json) {
        return decodeFrom(() -> json == null ? null : reader.readTree(json));
    }

    public RegistryEvent decode(String json) {
        return decodeFrom(() -> json == null ? null : reader.readTree(json));
    }

    private RegistryEvent decodeFrom(JsonSource source) {
        JsonNode root;
        try {
            root = source.read();
        } catch (StreamConstraintsException e) {
            throw new MalformedEventException(String.valueOf(e.getMessage()).contains("nesting depth")
                    ? "not JSON: nested deeper than " + MAX_NESTING + " levels"
                    : "not JSON: beyond the reader's limits", null, 0);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw new MalformedEventException(message.startsWith("Duplicate field") ? "not JSON: a field named twice"
                    : message.startsWith("Invalid UTF-8") ? "not JSON: not UTF-8" : "not JSON", null, 0);
        } catch (RuntimeException e) {
            // Jackson reports a few ill-formed inputs (e.g. some invalid UTF-8 sequences) this way
            throw new MalformedEventException("not JSON", null, 0);
        }
        return decode(root);
    }

    /** Where the JSON text of an event comes from. */
    @FunctionalInterface
    private interface JsonSource {
        JsonNode read() throws IOException;
    }

    public RegistryEvent decode(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a JSON object", null, 0);
        }
        Fields envelope = new Fields(root, "", null, 0);
        String kidcText = envelope.text("kidc", true);
        String kidcProblem = Kidc.problemWith(kidcText);
        if (kidcProblem != null) {
            throw new MalformedEventException("kidc: " + kidcProblem, null, 0);
        }
        JsonNode sequenceNode = root.get("sequence");
        if (sequenceNode == null || !sequenceNode.isIntegralNumber() || !sequenceNode.canConvertToLong()
                || sequenceNode.asLong() < 1 || sequenceNode.asLong() > MAX_SEQUENCE) {
            throw new MalformedEventException("sequence: must be a whole number from 1 to " + MAX_SEQUENCE, kidcText, 0);
        }
        long sequence = sequenceNode.asLong();
        Fields fields = new Fields(root, "", kidcText, sequence);
        String eventId = fields.text("eventId", true);
        if (!UUID_TEXT.matcher(eventId).matches()) {
            throw fields.malformed("eventId", "must be a UUID");
        }
        String typeName = fields.text("type", true);
        EventType type = EventType.parse(typeName);
        if (type == null) {
            throw fields.malformed("type", "unknown event type");
        }
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(fields.text("occurredAt", true));
        } catch (DateTimeParseException e) {
            throw fields.malformed("occurredAt", "must be an ISO-8601 instant");
        }
        if (occurredAt.isBefore(EARLIEST) || !occurredAt.isBefore(LATEST)) {
            throw fields.malformed("occurredAt", "must be in the years " + FIRST_YEAR + "-" + LAST_YEAR);
        }
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw fields.malformed("payload", "missing");
        }
        Fields payload = new Fields(payloadNode, "payload.", kidcText, sequence);
        EventPayload decoded = switch (type) {
            case PersonRegistered, PersonCorrected -> personRecord(payload);
            case NameChanged -> nameChange(payload);
            case AddressChanged -> new AddressChange(address(payload.object("address", true)));
            case CivilStatusChanged -> new CivilStatusChange(payload.maritalStatus("maritalStatus", true));
            case DocumentIssued -> new DocumentIssue(document(payload.object("document", true)));
            case DocumentRevoked -> new DocumentRevocation(payload.oneOf("type", DOCUMENT_TYPES, true),
                    payload.text("number", true, MAX_DOCUMENT_NUMBER));
            case PersonDeceased -> new Death(payload.date("dateOfDeath", true));
            case PersonMerged -> {
                String survivor = payload.kidc("survivorKidc", true);
                if (survivor.equals(kidcText)) {
                    throw payload.malformed("survivorKidc", "a person cannot be merged into itself");
                }
                yield new Merge(survivor);
            }
        };
        if (type == EventType.PersonRegistered && sequence != 1) {
            throw fields.malformed("sequence", "PersonRegistered must have sequence 1");
        }
        return new RegistryEvent(eventId, type, kidcText, sequence, occurredAt, decoded);
    }

    private static PersonRecord personRecord(Fields p) {
        String familyKh = p.text("familyNameKh", false, MAX_NAME);
        String givenKh = p.text("givenNameKh", false, MAX_NAME);
        String familyLatin = p.text("familyNameLatin", false, MAX_NAME);
        String givenLatin = p.text("givenNameLatin", false, MAX_NAME);
        requireNames(p, familyKh, givenKh, familyLatin, givenLatin);
        String sex = p.oneOf("sex", SEXES, true);
        String dateOfBirth = p.partialDate("dateOfBirth", true);
        Fields birthPlace = p.object("placeOfBirth", false);
        Place placeOfBirth = birthPlace == null ? null : place(birthPlace);
        String nationality = p.countryCode("nationality", true);
        String citizenship = p.countryCode("citizenship", false);
        String maritalStatus = p.maritalStatus("maritalStatus", false);
        List<String> parents = p.kidcList("parents", MAX_PARENTS);
        List<String> children = p.kidcList("children", MAX_CHILDREN);
        Address address = address(p.object("address", true));
        List<IdentityDocument> documents = new ArrayList<>();
        for (Fields document : p.objects("documents", MAX_DOCUMENTS)) {
            IdentityDocument read = document(document);
            for (IdentityDocument earlier : documents) {
                if (earlier.sameDocument(read.type(), read.number())) {
                    throw document.malformed("number", "the same document is listed twice");
                }
            }
            documents.add(read);
        }
        return new PersonRecord(familyKh, givenKh, familyLatin, givenLatin, sex, dateOfBirth, placeOfBirth,
                nationality, citizenship, maritalStatus, parents, children, address, List.copyOf(documents));
    }

    private static NameChange nameChange(Fields p) {
        String familyKh = p.text("familyNameKh", false, MAX_NAME);
        String givenKh = p.text("givenNameKh", false, MAX_NAME);
        String familyLatin = p.text("familyNameLatin", false, MAX_NAME);
        String givenLatin = p.text("givenNameLatin", false, MAX_NAME);
        requireNames(p, familyKh, givenKh, familyLatin, givenLatin);
        return new NameChange(familyKh, givenKh, familyLatin, givenLatin);
    }

    /** Each name must be given in at least one script (a foreign resident may have no Khmer-script name). */
    private static void requireNames(Fields p, String familyKh, String givenKh, String familyLatin, String givenLatin) {
        if (familyKh == null && familyLatin == null) {
            throw p.malformed("familyNameLatin", "missing (neither familyNameKh nor familyNameLatin given)");
        }
        if (givenKh == null && givenLatin == null) {
            throw p.malformed("givenNameLatin", "missing (neither givenNameKh nor givenNameLatin given)");
        }
    }

    private static Place place(Fields p) {
        String province = p.province("province");
        String district = p.areaCode("district", province, 4, false);
        String commune = p.areaCode("commune", district, 6, false);
        return new Place(province, district, commune);
    }

    private static Address address(Fields p) {
        String province = p.province("province");
        String district = p.areaCode("district", province, 4, false);
        String commune = p.areaCode("commune", district, 6, false);
        String village = p.areaCode("village", commune, 8, false);
        return new Address(province, district, commune, village);
    }

    private static IdentityDocument document(Fields p) {
        String type = p.oneOf("type", DOCUMENT_TYPES, true);
        String number = p.text("number", true, MAX_DOCUMENT_NUMBER);
        LocalDate issuedOn = p.date("issuedOn", false);
        LocalDate expiresOn = p.date("expiresOn", false);
        if (issuedOn != null && expiresOn != null && expiresOn.isBefore(issuedOn)) {
            throw p.malformed("expiresOn", "before issuedOn");
        }
        String status = p.oneOf("status", DOCUMENT_STATUSES, false);
        return new IdentityDocument(type, number, issuedOn, expiresOn, status == null ? IdentityDocument.VALID : status);
    }

    /** Reads the fields of one JSON object, naming the field (with its path) in every reason. */
    private record Fields(JsonNode node, String path, String kidc, long sequence) {

        MalformedEventException malformed(String field, String problem) {
            return new MalformedEventException(path + field + ": " + problem, kidc, sequence);
        }

        String text(String field, boolean required) {
            return text(field, required, MAX_TEXT);
        }

        /** A string of at most {@code max} characters, with no control character and no unpaired surrogate. */
        String text(String field, boolean required, int max) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    throw malformed(field, "missing");
                }
                return null;
            }
            if (!value.isTextual()) {
                throw malformed(field, "must be a string");
            }
            String text = value.asText();
            String problem = SafeText.problemWith(text, max);
            if (problem != null) {
                throw malformed(field, problem);
            }
            if (text.isBlank()) {
                if (required) {
                    throw malformed(field, "empty");
                }
                return null;
            }
            return text;
        }

        String oneOf(String field, Set<String> allowed, boolean required) {
            String value = text(field, required);
            if (value != null && !allowed.contains(value)) {
                throw malformed(field, "must be one of " + allowed.stream().sorted().toList());
            }
            return value;
        }

        String maritalStatus(String field, boolean required) {
            String value = text(field, required);
            if (value != null) {
                try {
                    MaritalStatus.valueOf(value);
                } catch (IllegalArgumentException e) {
                    throw malformed(field, "must be SINGLE, MARRIED, DIVORCED or WIDOWED");
                }
            }
            return value;
        }

        String countryCode(String field, boolean required) {
            String value = text(field, required);
            if (value != null && !value.matches("[A-Z]{3}")) {
                throw malformed(field, "must be an ISO 3166 alpha-3 code");
            }
            return value;
        }

        String kidc(String field, boolean required) {
            String value = text(field, required);
            if (value != null) {
                String problem = Kidc.problemWith(value);
                if (problem != null) {
                    throw malformed(field, problem);
                }
            }
            return value;
        }

        String partialDate(String field, boolean required) {
            String value = text(field, required);
            if (value != null) {
                try {
                    PartialDate.parse(value);
                } catch (IllegalArgumentException e) {
                    throw malformed(field, e.getMessage());
                }
            }
            return value;
        }

        LocalDate date(String field, boolean required) {
            String value = text(field, required);
            if (value == null) {
                return null;
            }
            LocalDate date;
            try {
                date = DATE_TEXT.matcher(value).matches() ? LocalDate.parse(value) : null;
            } catch (DateTimeParseException e) {
                date = null;
            }
            if (date == null) {
                throw malformed(field, "must be YYYY-MM-DD");
            }
            if (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR) {
                throw malformed(field, "must be in the years " + FIRST_YEAR + "-" + LAST_YEAR);
            }
            return date;
        }

        String province(String field) {
            String value = text(field, true);
            if (!value.matches("\\d{2}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 25) {
                throw malformed(field, "must be a province code 01-25");
            }
            return value;
        }

        String areaCode(String field, String parent, int length, boolean required) {
            String value = text(field, required);
            if (value == null) {
                return null;
            }
            if (parent == null) {
                throw malformed(field, "given without its parent area");
            }
            if (value.length() != length || !value.startsWith(parent)
                    || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw malformed(field, "must be " + length + " digits extending " + parent);
            }
            return value;
        }

        Fields object(String field, boolean required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    throw malformed(field, "missing");
                }
                return null;
            }
            if (!value.isObject()) {
                throw malformed(field, "must be an object");
            }
            return new Fields(value, path + field + ".", kidc, sequence);
        }

        /** The elements of the array at {@code field}, at most {@code max}; none when it is absent. */
        List<JsonNode> items(String field, int max) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                throw malformed(field, "must be an array");
            }
            if (value.size() > max) {
                throw malformed(field, "more than " + max + " entries");
            }
            List<JsonNode> items = new ArrayList<>(value.size());
            value.forEach(items::add);
            return items;
        }

        List<Fields> objects(String field, int max) {
            List<JsonNode> items = items(field, max);
            List<Fields> objects = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                if (!items.get(i).isObject()) {
                    throw malformed(field + "[" + i + "]", "must be an object");
                }
                objects.add(new Fields(items.get(i), path + field + "[" + i + "].", kidc, sequence));
            }
            return objects;
        }

        /** KIdCs, each valid, none twice and none the person's own. */
        List<String> kidcList(String field, int max) {
            List<JsonNode> items = items(field, max);
            List<String> codes = new ArrayList<>(items.size());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String problem = item.isTextual() ? Kidc.problemWith(item.asText()) : "must be a string";
                if (problem == null && item.asText().equals(kidc)) {
                    problem = "the person's own KIdC";
                }
                if (problem == null && !seen.add(item.asText())) {
                    problem = "listed twice";
                }
                if (problem != null) {
                    throw malformed(field + "[" + i + "]", problem);
                }
                codes.add(item.asText());
            }
            return List.copyOf(codes);
        }
    }
}
