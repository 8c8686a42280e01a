package kh.dds.simulator.publish;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * duplicates. Events are encoded in chunks by one worker per core and sent in order by the calling thread.
 */
public final class RegistrationPublisher {

    /** Called now and then with the number of events sent so far. */
    public interface Progress {
        void sent(long events);
    }

    private static final int CHUNK = 1024;

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
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "registration-encoder");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ArrayDeque<Future<String[]>> encoding = new ArrayDeque<>();
            int next = 0;
            long sent = 0;
            while (next < population.size() || !encoding.isEmpty()) {
                while (encoding.size() < workers * 3 && next < population.size()) {
                    int from = next;
                    int to = Math.min(population.size(), from + CHUNK);
                    encoding.add(pool.submit(() -> encode(from, to)));
                    next = to;
                }
                String[] chunk = await(encoding.poll());
                for (int i = 0; i < chunk.length; i += 2) {
                    sink.send(chunk[i], chunk[i + 1]);
                }
                sent += chunk.length / 2;
                if (sink.failure() != null) {
                    return;
                }
                progress.sent(sent);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Keys and values of the registrations of persons {@code from} to {@code to}, interleaved. */
    private String[] encode(int from, int to) {
        String[] chunk = new String[(to - from) * 2];
        for (int index = from; index < to; index++) {
            RegistryEvent event = registration(index);
            chunk[(index - from) * 2] = event.kidc();
            chunk[(index - from) * 2 + 1] = codec.encode(event);
        }
        return chunk;
    }

    private static String[] await(Future<String[]> chunk) {
        try {
            return chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding registrations", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
