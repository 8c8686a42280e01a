package kh.dds.replica.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import kh.dds.replica.person.HeldEvent;
import kh.dds.schema.event.MalformedEventException;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;

/** Reads records of the event topic (and events read back from the held table) as far as they can be read. */
@ApplicationScoped
public class IncomingEvents {

    private final RegistryEventCodec codec;

    public IncomingEvents(RegistryEventCodec codec) {
        this.codec = codec;
    }

    public IncomingEvent fromRecord(byte[] value, int partition, long offset) {
        String raw = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        return read(raw, partition, offset, false);
    }

    public IncomingEvent fromHeld(HeldEvent held) {
        return read(held.event(), held.sourcePartition(), held.sourceOffset(), true);
    }

    private IncomingEvent read(String raw, int partition, long offset, boolean held) {
        if (raw.isEmpty()) {
            return new IncomingEvent(null, 0, null, "empty record", raw, partition, offset, held);
        }
        try {
            RegistryEvent event = codec.decode(raw);
            return new IncomingEvent(event.kidc(), event.sequence(), event, null, raw, partition, offset, held);
        } catch (MalformedEventException e) {
            return new IncomingEvent(e.kidc(), e.sequence(), null, e.reason(), raw, partition, offset, held);
        }
    }
}
