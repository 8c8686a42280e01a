package kh.dds.replica.ingest;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kh.dds.replica.ingest.ReplicaUpdate.Draining;
import org.jboss.logging.Logger;

/**
 * Applies batches so that one event PostgreSQL refuses cannot hold up the stream, and one PostgreSQL outage cannot
 * throw events away. Validation ({@code RegistryEventCodec}) already refuses everything known not to fit; this is the
 * defence behind it.
 *
 * <p>A transaction that fails because the database is away (anything but a {@link DatabaseRefusal}) is retried as
 * it is, with back-off, for as long as it takes. One that the database refuses is split: each half is applied in its
 * own transaction, the first before the second, so each person's events keep their order and nothing committed is
 * applied again. A single event still refused is tried once more without its person's held events (they may be the
 * culprit); refused again, it is dead-lettered with the database's reason and takes its turn in its person's
 * sequence, like any malformed event (SPEC §3: the person's later events apply; nothing is held forever behind it).
 * Held events are drained the same way: persons split in halves, and a person still refused is stepped through one
 * held event per transaction, the one refused being dead-lettered in its turn.
 */
@ApplicationScoped
public class PoisonIsolation {

    private static final Logger LOG = Logger.getLogger(PoisonIsolation.class);

    private final ReplicaUpdate update;

    public PoisonIsolation(ReplicaUpdate update) {
        this.update = update;
    }

    /** Applies the events (with their persons' held events), isolating what the database refuses. */
    public Uni<BatchOutcome> apply(List<IncomingEvent> events) {
        return patiently(() -> update.apply(events, List.of()), events.size() + " events")
                .onFailure(DatabaseRefusal::isRefusal).recoverWithUni(refused -> {
                    if (events.size() == 1) {
                        return alone(events.get(0));
                    }
                    LOG.warnf("the database refused a batch of %d events (%s): applying it in halves", events.size(),
                            DatabaseRefusal.in(refused).orElseThrow().sqlState());
                    int half = events.size() / 2;
                    return apply(events.subList(0, half))
                            .flatMap(first -> apply(events.subList(half, events.size())).map(first::plus));
                });
    }

    /** Applies the held events of these persons whose turn has come, isolating what the database refuses. */
    public Uni<BatchOutcome> drain(List<String> kidcs) {
        return patiently(() -> update.apply(List.of(), kidcs), "held events of " + kidcs.size() + " persons")
                .onFailure(DatabaseRefusal::isRefusal).recoverWithUni(refused -> {
                    if (kidcs.size() == 1) {
                        return stepThrough(kidcs.get(0));
                    }
                    int half = kidcs.size() / 2;
                    return drain(kidcs.subList(0, half))
                            .flatMap(first -> drain(kidcs.subList(half, kidcs.size())).map(first::plus));
                });
    }

    /** One event the database refused within its batch: alone, then refused in its turn if it is the culprit. */
    private Uni<BatchOutcome> alone(IncomingEvent event) {
        Uni<BatchOutcome> applied = patiently(() -> update.apply(List.of(event), List.of(), Draining.NONE, Map.of()),
                "an event alone")
                .onFailure(DatabaseRefusal::isRefusal).recoverWithUni(refused -> {
                    String reason = DatabaseRefusal.in(refused).orElseThrow().reason();
                    LOG.warnf("the database refused the event at %d offset %d: %s", event.partition(), event.offset(),
                            reason);
                    return patiently(() -> update.apply(List.of(event.refused(reason)), List.of(), Draining.NONE,
                            Map.of()), "a refused event");
                });
        // its person's held events stayed behind: drain them now, isolating them in turn
        return event.placed() ? applied.flatMap(outcome -> drain(List.of(event.kidc())).map(outcome::plus)) : applied;
    }

    /** Drains one person's held events one transaction each, refusing in its turn the one the database refuses. */
    private Uni<BatchOutcome> stepThrough(String kidc) {
        return patiently(() -> update.apply(List.of(), List.of(kidc), Draining.NEXT, Map.of()), "a held event")
                .onFailure(DatabaseRefusal::isRefusal).recoverWithUni(refused -> {
                    String reason = DatabaseRefusal.in(refused).orElseThrow().reason();
                    LOG.warnf("the database refused a held event of %s: %s", kidc, reason);
                    return patiently(() -> update.apply(List.of(), List.of(kidc), Draining.NEXT,
                            Map.of(kidc, reason)), "a refused held event");
                })
                .flatMap(outcome -> outcome.released() == 0 ? Uni.createFrom().item(outcome)
                        : stepThrough(kidc).map(outcome::plus));
    }

    /** Retries a transaction for as long as it fails for any reason but the database refusing its data. */
    private static Uni<BatchOutcome> patiently(Supplier<Uni<? extends BatchOutcome>> transaction, String what) {
        return Uni.createFrom().deferred(transaction)
                .onFailure(failure -> !DatabaseRefusal.isRefusal(failure))
                .invoke(failure -> LOG.warnf("applying %s failed, retrying: %s", what, failure.toString()))
                .onFailure(failure -> !DatabaseRefusal.isRefusal(failure))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
