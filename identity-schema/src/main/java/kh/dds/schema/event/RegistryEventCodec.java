package kh.dds.schema.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import kh.dds.schema.event.EventPayload.AddressChange;
import kh.dds.schema.event.EventPayload.CivilStatusChange;
import kh.dds.schema.event.EventPayload.Death;
import kh.dds.schema.event.EventPayload.DocumentIssue;
import kh.dds.schema.event.EventPayload.DocumentRevocation;
import kh.dds.schema.event.EventPayload.Merge;
import kh.dds.schema.event.EventPayload.NameChange;
import kh.dds.schema.event.EventPayload.PersonRecord;
import kh.dds.schema.kidc.Kidc;

/**
 * Reads and writes registry events in the registry's JSON. Reading checks everything SPEC §3 requires: unknown extra
 * fields are ignored, a missing or ill-formed required field makes the event malformed, with a reason that names the
 * field.
 */
public final class RegistryEventCodec {

    private static final Set<String> SEXES = Set.of("M", "F");
    private static final Set<String> DOCUMENT_TYPES = Set.of("NATIONAL_ID", "PASSPORT");
    private static final Set<String> DOCUMENT_STATUSES = Set.of(IdentityDocument.VALID, IdentityDocument.REVOKED);

    private final ObjectMapper mapper;

    public RegistryEventCodec() {
        this(defaultMapper());
    }

    public RegistryEventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
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

    public RegistryEvent decode(byte[] json) {
        return decodeFrom(() -> json == null ? null : mapper.readTree(json));
    }

    public RegistryEvent decode(String json) {
        return decodeFrom(() -> json == null ? null : mapper.readTree(json));
    }

    private RegistryEvent decodeFrom(JsonSource source) {
        JsonNode root;
        try {
            root = source.read();
        } catch (IOException e) {
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
        if (sequenceNode == null || !sequenceNode.canConvertToExactIntegral() || sequenceNode.asLong() < 1) {
            throw new MalformedEventException("sequence: must be a whole number from 1", kidcText, 0);
        }
        long sequence = sequenceNode.asLong();
        Fields fields = new Fields(root, "", kidcText, sequence);
        String eventId = fields.text("eventId", true);
        try {
            UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
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
                    payload.text("number", true));
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
        String familyKh = p.text("familyNameKh", false);
        String givenKh = p.text("givenNameKh", false);
        String familyLatin = p.text("familyNameLatin", false);
        String givenLatin = p.text("givenNameLatin", false);
        requireNames(p, familyKh, givenKh, familyLatin, givenLatin);
        String sex = p.oneOf("sex", SEXES, true);
        String dateOfBirth = p.partialDate("dateOfBirth", true);
        Fields birthPlace = p.object("placeOfBirth", false);
        Place placeOfBirth = birthPlace == null ? null : place(birthPlace);
        String nationality = p.countryCode("nationality", true);
        String citizenship = p.countryCode("citizenship", false);
        String maritalStatus = p.maritalStatus("maritalStatus", false);
        List<String> parents = p.kidcList("parents");
        List<String> children = p.kidcList("children");
        Address address = address(p.object("address", true));
        List<IdentityDocument> documents = new ArrayList<>();
        for (Fields document : p.objects("documents")) {
            documents.add(document(document));
        }
        return new PersonRecord(familyKh, givenKh, familyLatin, givenLatin, sex, dateOfBirth, placeOfBirth,
                nationality, citizenship, maritalStatus, parents, children, address, List.copyOf(documents));
    }

    private static NameChange nameChange(Fields p) {
        String familyKh = p.text("familyNameKh", false);
        String givenKh = p.text("givenNameKh", false);
        String familyLatin = p.text("familyNameLatin", false);
        String givenLatin = p.text("givenNameLatin", false);
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
        String number = p.text("number", true);
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
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw malformed(field, "must be YYYY-MM-DD");
            }
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
            if (value.length() != length || !value.startsWith(parent) || !value.chars().allMatch(Character::isDigit)) {
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

        /** The elements of the array at {@code field}; none when it is absent. */
        List<JsonNode> items(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                throw malformed(field, "must be an array");
            }
            List<JsonNode> items = new ArrayList<>(value.size());
            value.forEach(items::add);
            return items;
        }

        List<Fields> objects(String field) {
            List<JsonNode> items = items(field);
            List<Fields> objects = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                if (!items.get(i).isObject()) {
                    throw malformed(field + "[" + i + "]", "must be an object");
                }
                objects.add(new Fields(items.get(i), path + field + "[" + i + "].", kidc, sequence));
            }
            return objects;
        }

        List<String> kidcList(String field) {
            List<JsonNode> items = items(field);
            List<String> codes = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String problem = item.isTextual() ? Kidc.problemWith(item.asText()) : "must be a string";
                if (problem != null) {
                    throw malformed(field + "[" + i + "]", problem);
                }
                codes.add(item.asText());
            }
            return List.copyOf(codes);
        }
    }
}
