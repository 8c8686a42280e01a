package kh.dds.schema.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import kh.dds.schema.lookup.LookupRecord;

/**
 * The audit ledger's hash chain, defined once for the writer, the service's integrity check and the offline verifier.
 *
 * <pre>
 * hash = SHA-256( "dds-ledger-v1" 0x00
 *                 lane (int32) seq (int64)
 *                 field_1 … field_14 [field_15]        each: int32 length, then UTF-8 bytes; length -1 for null
 *                 prevHash (32 bytes) )
 * </pre>
 * The fields, in this order: lookupId, occurredAt (ISO-8601 instant, as {@link java.time.Instant#toString()}),
 * contractId, clientId, operatorId, purpose, product, subjectKidc, outcome, decision, fieldsDisclosed (joined with
 * {@code ,}), httpStatus (decimal), billable ({@code true}/{@code false}), latencyMicros (decimal), and — only when the record has one — detail (a record
 * without a detail hashes exactly as records written before the field existed, so their chains still verify; one
 * with a detail has a 15th length-prefixed field, which no 14-field record can imitate). Every byte of the
 * record's content and its place in the lane is covered, and so is the predecessor: an edit, a deletion, a reordering
 * or an insertion changes a hash that a later entry or a signed checkpoint pins.
 *
 * <p>A {@link Removal} is chained the same way under its own domain:
 * <pre>
 * hash = SHA-256( "dds-ledger-removal-v1" 0x00
 *                 lane (int32) seq (int64)
 *                 removalId, removedAt, product, month (yyyy-MM), retention, records, archive, archiveSha256
 *                                                      each as above
 *                 runs (int32 count), each: lane (int32) seqFrom (int64) seqTo (int64) prevHash lastHash
 *                 prevHash (32 bytes) )
 * </pre>
 */
public final class LedgerHash {

    /** The predecessor of a lane's first entry. */
    public static final byte[] GENESIS = new byte[32];

    private static final byte[] DOMAIN = "dds-ledger-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REMOVAL_DOMAIN = "dds-ledger-removal-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private LedgerHash() {
    }

    public static byte[] of(int lane, long seq, LookupRecord record, byte[] prevHash) {
        if (prevHash.length != 32) {
            throw new IllegalArgumentException("a predecessor hash has 32 bytes");
        }
        MessageDigest digest = sha256();
        digest.update(DOMAIN);
        digest.update(ByteBuffer.allocate(12).putInt(lane).putLong(seq).array());
        digest.update(encoded(fields(record)));
        digest.update(prevHash);
        return digest.digest();
    }

    public static byte[] of(long seq, Removal.Content removal, byte[] prevHash) {
        if (prevHash.length != 32) {
            throw new IllegalArgumentException("a predecessor hash has 32 bytes");
        }
        MessageDigest digest = sha256();
        digest.update(REMOVAL_DOMAIN);
        digest.update(ByteBuffer.allocate(12).putInt(Lanes.RETENTION).putLong(seq).array());
        digest.update(encoded(java.util.Arrays.asList(removal.removalId(), removal.removedAt().toString(),
                removal.product().name(), removal.month().toString(), removal.retention(),
                Long.toString(removal.records()), removal.archive(), removal.archiveSha256())));
        digest.update(ByteBuffer.allocate(4).putInt(removal.runs().size()).array());
        for (Removal.Run run : removal.runs()) {
            digest.update(ByteBuffer.allocate(20).putInt(run.lane()).putLong(run.seqFrom()).putLong(run.seqTo())
                    .array());
            digest.update(run.prevHash());
            digest.update(run.lastHash());
        }
        digest.update(prevHash);
        return digest.digest();
    }

    private static byte[] encoded(List<String> values) {
        ByteArrayOutputStream fields = new ByteArrayOutputStream(256);
        for (String field : values) {
            if (field == null) {
                fields.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            } else {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                fields.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
                fields.writeBytes(bytes);
            }
        }
        return fields.toByteArray();
    }

    /** The record's fields in the chain's order, as text. */
    static List<String> fields(LookupRecord r) {
        List<String> fields = new java.util.ArrayList<>(15);
        java.util.Collections.addAll(fields, r.lookupId(), r.occurredAt() == null ? null : r.occurredAt().toString(),
                r.contractId(), r.clientId(), r.operatorId(), r.purpose(),
                r.product() == null ? null : r.product().name(), r.subjectKidc(), r.outcome(), r.decision(),
                r.fieldsDisclosed() == null ? null : String.join(",", r.fieldsDisclosed()),
                Integer.toString(r.httpStatus()), Boolean.toString(r.billable()), Long.toString(r.latencyMicros()));
        if (r.detail() != null) {
            fields.add(r.detail());
        }
        return fields;
    }

    public static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }

    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
