package kh.dds.replica.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import kh.dds.replica.person.HeldEvent;
import kh.dds.schema.event.MalformedEventException;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;

/**
 * Reads records of the event topic (and events read back from the held table) as far as they can be read.
 *
 * <p>A value that is not UTF-8 is malformed before anything else (decoding it leniently would put replacement
 * characters in place of what the registry sent, and a dead letter must carry what arrived). A record whose key is
 * not its event's KIdC is malformed too: the registry keys each event by its person, which is what keeps a person's
 * events in one partition and in order. Such an event still takes its turn in its person's sequence (its envelope is
 * readable), and its reason is kept with it while it is held, since the key is not.
 */
@ApplicationScoped
public class IncomingEvents {

    static final String KEY_MISMATCH = "record key: must be the event's kidc";

    private final RegistryEventCodec codec;

    public IncomingEvents(RegistryEventCodec codec) {
        this.codec = codec;
    }

    public IncomingEvent fromRecord(String key, byte[] value, int partition, long offset) {
        byte[] bytes = value == null ? new byte[0] : value;
        if (bytes.length == 0) {
            return new IncomingEvent(null, 0, null, "empty record", bytes, partition, offset, false);
        }
        if (!utf8(bytes)) {
            return new IncomingEvent(null, 0, null, "not JSON: not UTF-8", bytes, partition, offset, false);
        }
        IncomingEvent event = read(bytes, partition, offset, false);
        if (event.placed() && !event.kidc().equals(key)) {
            return event.refused(KEY_MISMATCH);
        }
        return event;
    }

    public IncomingEvent fromHeld(HeldEvent held) {
        byte[] bytes = held.event().getBytes(StandardCharsets.UTF_8);
        if (held.problem() != null) {
            return new IncomingEvent(held.kidc(), held.sequence(), null, held.problem(), bytes,
                    held.sourcePartition(), held.sourceOffset(), true);
        }
        return read(bytes, held.sourcePartition(), held.sourceOffset(), true);
    }

    private IncomingEvent read(byte[] bytes, int partition, long offset, boolean held) {
        try {
            RegistryEvent event = codec.decode(bytes);
            return new IncomingEvent(event.kidc(), event.sequence(), event, null, bytes, partition, offset, held);
        } catch (MalformedEventException e) {
            return new IncomingEvent(e.kidc(), e.sequence(), null, e.reason(), bytes, partition, offset, held);
        }
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
