package kh.dds.schema.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;

/**
 * The ledger's export format, one JSON object a line (NDJSON), which an outside party verifies with
 * {@link OfflineVerifier}:
 * <pre>
 * {"lane":3,"seq":17,"prevHash":"…hex…","hash":"…hex…","record":{…the lookup record…}}
 * </pre>
 * checkpoints, one a line, as {@link Checkpoint} in JSON; and removals of expired entries, one a line:
 * <pre>
 * {"lane":9000,"seq":2,"prevHash":"…","hash":"…","removal":{"removalId":"…","removedAt":"…","product":"VERIFY",
 *  "month":"2019-03","retention":"P7Y","records":1200,"runs":[{"lane":1003,"seqFrom":1,"seqTo":1200,
 *  "prevHash":"…","lastHash":"…"}],"archive":"ledger-2019-03-VERIFY.ndjson.gz","archiveSha256":"…"}}
 * </pre>
 */
public final class LedgerExport {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private LedgerExport() {
    }

    public static String line(LedgerEntry entry) {
        return node(entry).toString();
    }

    /** The export line of an entry, as a JSON object. */
    public static ObjectNode node(LedgerEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("lane", entry.lane());
        node.put("seq", entry.seq());
        node.put("prevHash", LedgerHash.hex(entry.prevHash()));
        node.put("hash", LedgerHash.hex(entry.hash()));
        node.set("record", JSON.valueToTree(entry.record()));
        return node;
    }

    public static LedgerEntry entry(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return new LedgerEntry(node.path("lane").asInt(), node.path("seq").asLong(),
                    JSON.treeToValue(node.path("record"), LookupRecord.class),
                    LedgerHash.fromHex(node.path("prevHash").asText()), LedgerHash.fromHex(node.path("hash").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a ledger export line", e);
        }
    }

    /**
     * A lookup record as the API writes it on {@code api.lookup-records}, checked for what every reader relies on: a
     * lookup id that is a UUID, a time, a product, and a contract that is a UUID when there is one.
     *
     * @throws IllegalArgumentException when the bytes are no such record (the message says why, without echoing
     *                                  them): its readers set it aside ({@link kh.dds.schema.stream.BatchIsolation})
     *                                  rather than stop on it
     */
    public static LookupRecord lookupRecord(byte[] value) {
        LookupRecord record;
        try {
            record = JSON.readValue(value, LookupRecord.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a lookup record: " + e.getClass().getSimpleName());
        }
        if (record == null) {
            throw new IllegalArgumentException("not a lookup record: null");
        }
        if (!isUuid(record.lookupId())) {
            throw new IllegalArgumentException("lookupId is not a UUID");
        }
        if (record.occurredAt() == null || record.product() == null) {
            throw new IllegalArgumentException("occurredAt and product are required");
        }
        if (record.contractId() != null && !isUuid(record.contractId())) {
            throw new IllegalArgumentException("contractId is not a UUID");
        }
        return record;
    }

    /** True for a UUID in its canonical form (36 characters), the only form the API writes. */
    public static boolean isUuid(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        try {
            return java.util.UUID.fromString(value).toString().equalsIgnoreCase(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String line(Removal removal) {
        return node(removal).toString();
    }

    public static ObjectNode node(Removal removal) {
        ObjectNode node = JSON.createObjectNode();
        node.put("lane", removal.lane());
        node.put("seq", removal.seq());
        node.put("prevHash", LedgerHash.hex(removal.prevHash()));
        node.put("hash", LedgerHash.hex(removal.hash()));
        node.set("removal", node(removal.content()));
        return node;
    }

    /** What a removal says, as a JSON object (also an archive's header: what it holds). */
    public static ObjectNode node(Removal.Content content) {
        ObjectNode node = JSON.createObjectNode();
        node.put("removalId", content.removalId());
        node.put("removedAt", content.removedAt().toString());
        node.put("product", content.product().name());
        node.put("month", content.month().toString());
        node.put("retention", content.retention());
        node.put("records", content.records());
        var runs = node.putArray("runs");
        for (Removal.Run run : content.runs()) {
            runs.addObject().put("lane", run.lane()).put("seqFrom", run.seqFrom()).put("seqTo", run.seqTo())
                    .put("prevHash", LedgerHash.hex(run.prevHash())).put("lastHash", LedgerHash.hex(run.lastHash()));
        }
        node.put("archive", content.archive());
        node.put("archiveSha256", content.archiveSha256());
        return node;
    }

    public static Removal removal(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return new Removal(node.path("seq").asLong(), content(node.path("removal")),
                    LedgerHash.fromHex(node.path("prevHash").asText()), LedgerHash.fromHex(node.path("hash").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a removal line", e);
        }
    }

    public static Removal.Content content(JsonNode node) {
        List<Removal.Run> runs = new ArrayList<>();
        for (JsonNode run : node.path("runs")) {
            runs.add(new Removal.Run(run.path("lane").asInt(), run.path("seqFrom").asLong(), run.path("seqTo").asLong(),
                    LedgerHash.fromHex(run.path("prevHash").asText()), LedgerHash.fromHex(run.path("lastHash").asText())));
        }
        return new Removal.Content(node.path("removalId").asText(), Instant.parse(node.path("removedAt").asText()),
                Product.valueOf(node.path("product").asText()), YearMonth.parse(node.path("month").asText()),
                node.path("retention").asText(), node.path("records").asLong(), runs, node.path("archive").asText(),
                node.path("archiveSha256").asText());
    }

    public static String line(Checkpoint checkpoint) {
        try {
            return JSON.writeValueAsString(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Checkpoint checkpoint(String line) {
        try {
            return JSON.readValue(line, Checkpoint.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a checkpoint line", e);
        }
    }
}
