package kh.dds.simulator.publish;

import kh.dds.schema.event.EventType;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.event.RegistryEventCodec;
import kh.dds.simulator.delivery.EventSink;
import kh.dds.simulator.population.EventIds;
import kh.dds.simulator.population.Population;

/**
 * Publishes the initial population as one {@code PersonRegistered} event (sequence 1) per person, in index order:
 * the same records the snapshot holds, with deterministic event ids and {@code occurredAt} = the reference instant
 * (the snapshot's {@code lastEventAt}). Publishing twice sends the same events again, which a replica ignores as
 * duplicates.
 */
public final class RegistrationPublisher {

    /** Called now and then with the number of events sent so far. */
    public interface Progress {
        void sent(long events);
    }

    private final Population population;
    private final RegistryEventCodec codec;

    public RegistrationPublisher(Population population, RegistryEventCodec codec) {
        this.population = population;
        this.codec = codec;
    }

    public RegistryEvent registration(int index) {
        return new RegistryEvent(EventIds.registration(population.seed(), index), EventType.PersonRegistered,
                population.kidc(index), 1, population.referenceInstant(), population.record(index));
    }

    /** Sends every registration to the sink (without waiting for acknowledgements: the caller flushes). */
    public void publish(EventSink sink, Progress progress) {
        for (int index = 0; index < population.size(); index++) {
            RegistryEvent event = registration(index);
            sink.send(event.kidc(), codec.encode(event));
            if ((index & 0x3FF) == 0x3FF) {
                if (sink.failure() != null) {
                    return;
                }
                progress.sent(index + 1L);
            }
        }
        progress.sent(population.size());
    }
}
