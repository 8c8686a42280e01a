package kh.dds.schema.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import kh.dds.schema.lookup.LookupRecord;

/**
 * The ledger's export format, one JSON object a line (NDJSON), which an outside party verifies with
 * {@link OfflineVerifier}:
 * <pre>
 * {"lane":3,"seq":17,"prevHash":"…hex…","hash":"…hex…","record":{…the lookup record…}}
 * </pre>
 * and checkpoints, one a line, as {@link Checkpoint} in JSON.
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
     * A lookup record as the API writes it on {@code api.lookup-records}. One that cannot be read is a bug of the
     * writer: its readers (the ledger, billing) stop on it rather than skip an audit record or a billable call.
     */
    public static LookupRecord lookupRecord(byte[] value) {
        try {
            return JSON.readValue(value, LookupRecord.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("an unreadable lookup record on api.lookup-records", e);
        }
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
