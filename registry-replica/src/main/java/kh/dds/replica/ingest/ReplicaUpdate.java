package kh.dds.replica.ingest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import kh.dds.replica.ingest.ReplicaPublisher.DeadLetter;
import kh.dds.replica.person.EventApplier;
import kh.dds.replica.person.HeldEvent;
import kh.dds.replica.person.LifeEvents;
import kh.dds.replica.person.PersonReplica;
import kh.dds.replica.person.PersonState;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.PersonChange;
import kh.dds.replica.statistics.HistoryTransition;
import kh.dds.replica.statistics.PersonHistory;
import kh.dds.replica.statistics.PersonRecordKeys;
import kh.dds.replica.statistics.StatisticalProfile;
import kh.dds.schema.event.RegistryEvent;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * Applies a batch of registry events to the replica in one transaction, following SPEC §3:
 * <ul>
 *   <li>an event at or below its person's applied version is a duplicate: ignored, counted;</li>
 *   <li>an event ahead of the next expected sequence is held (in the database) until the gap is filled;</li>
 *   <li>a malformed or unappliable event is dead-lettered with its reason; if its envelope was readable it still
 *       takes its turn in the person's sequence, so the person's later events are not held forever;</li>
 *   <li>the counters move in the same transaction as the rows they count, so a batch redelivered after a crash
 *       changes nothing and counts only duplicates.</li>
 * </ul>
 * Dead letters are acknowledged by the broker before the transaction commits (a crash in between re-sends them:
 * the dead-letter topic is at-least-once). Change signals are sent after the commit, for every person the batch
 * touched, duplicates included, so a crash between the commit and the signal is repaired by the redelivery. Life
 * events (a death, a retirement, a name change, a revocation) are written to the outbox in the same transaction and
 * published after the commit ({@link LifeEventOutbox}): a redelivered event is a duplicate and would not bring them
 * back.
 */
@ApplicationScoped
public class ReplicaUpdate {

    private static final Logger LOG = Logger.getLogger(ReplicaUpdate.class);

    private static final String COUNT = """
            UPDATE replica.replica_state SET persons = persons + $1, applied = applied + $2,
                duplicates = duplicates + $3, held = held + $4, dead_lettered = dead_lettered + $5,
                last_event_at = CASE WHEN $6::timestamptz IS NULL THEN last_event_at
                                     ELSE greatest(last_event_at, $6::timestamptz) END,
                history_began_on = coalesce(history_began_on, $7::date)
            WHERE id = 1""";

    private final Pool pool;
    private final PersonReplica persons;
    private final EventApplier applier;
    private final ReplicaPublisher publisher;
    private final IncomingEvents incomingEvents;
    private final LifeEventOutbox outbox;
    private final PersonHistory history;
    private final PersonRecordKeys recordKeys;

    public ReplicaUpdate(Pool pool, PersonReplica persons, EventApplier applier, ReplicaPublisher publisher,
                         IncomingEvents incomingEvents, LifeEventOutbox outbox, PersonHistory history,
                         PersonRecordKeys recordKeys) {
        this.pool = pool;
        this.persons = persons;
        this.applier = applier;
        this.publisher = publisher;
        this.incomingEvents = incomingEvents;
        this.outbox = outbox;
        this.history = history;
        this.recordKeys = recordKeys;
    }

    /** Which of their held events the persons of a transaction take along. */
    public enum Draining {
        /** every held event (the ordinary way) */
        ALL,
        /** none: the events given are applied alone, the held ones stay (the drain takes them up afterwards) */
        NONE,
        /** only what is next in line: the held event one past the applied version, and held duplicates */
        NEXT
    }

    /**
     * Applies the events, and any held events of the persons in {@code alsoDrain}, then signals the changes.
     * Completes once the transaction has committed and the signals are acknowledged.
     */
    public Uni<BatchOutcome> apply(List<IncomingEvent> events, Collection<String> alsoDrain) {
        return apply(events, alsoDrain, Draining.ALL, Map.of());
    }

    /**
     * Applies the events with the persons' held events as {@code draining} says; a person's held event that is next
     * in line is refused for the reason {@code refuseNext} gives for that person, if any (only with
     * {@link Draining#NEXT}).
     */
    public Uni<BatchOutcome> apply(List<IncomingEvent> events, Collection<String> alsoDrain, Draining draining,
                                   Map<String, String> refuseNext) {
        Work work = new Work();
        return pool.withTransaction(tx -> applyIn(tx, work, events, alsoDrain, draining, refuseNext))
                .call(outcome -> publisher.changed(outcome.changes()))
                .call(() -> outbox.publishFor(work.lifeEventKidcs()));
    }

    private Uni<BatchOutcome> applyIn(SqlConnection tx, Work work, List<IncomingEvent> events,
                                      Collection<String> alsoDrain, Draining draining, Map<String, String> refuseNext) {
        Map<String, List<IncomingEvent>> byPerson = new LinkedHashMap<>();
        for (IncomingEvent event : events) {
            if (event.placed()) {
                byPerson.computeIfAbsent(event.kidc(), k -> new ArrayList<>()).add(event);
            } else {
                work.deadLetters.add(new DeadLetter(event, event.problem()));
            }
        }
        for (String kidc : alsoDrain) {
            byPerson.computeIfAbsent(kidc, k -> new ArrayList<>());
        }
        if (byPerson.isEmpty()) {
            return finish(tx, work);
        }
        Set<String> kidcs = byPerson.keySet();
        Uni<List<HeldEvent>> nothingHeld = Uni.createFrom().item(List.of());
        return persons.lock(tx, kidcs)
                .flatMap(states -> (draining == Draining.NONE ? nothingHeld : persons.held(tx, kidcs)).map(held -> {
                    for (HeldEvent h : held) {
                        IncomingEvent event = incomingEvents.fromHeld(h);
                        if (draining == Draining.NEXT) {
                            long next = states.getOrDefault(h.kidc(), PersonState.unknown(h.kidc())).version() + 1;
                            if (h.sequence() > next) {
                                continue;
                            }
                            String refusal = refuseNext.get(h.kidc());
                            if (refusal != null && h.sequence() == next) {
                                event = event.refused(refusal);
                            }
                        }
                        byPerson.get(h.kidc()).add(event);
                    }
                    byPerson.forEach((kidc, list) ->
                            advance(work, states.getOrDefault(kidc, PersonState.unknown(kidc)), list));
                    return work;
                }))
                .flatMap(w -> finish(tx, w));
    }

    /** Walks one person's events in sequence order from its applied version. */
    private void advance(Work work, PersonState start, List<IncomingEvent> events) {
        events.sort(Comparator.comparingLong(IncomingEvent::sequence)
                .thenComparing(e -> !e.held()));
        PersonState state = start;
        StatisticalProfile profile = StatisticalProfile.of(start, recordKeys);
        Set<Long> waiting = new HashSet<>();
        for (IncomingEvent event : events) {
            long next = state.version() + 1;
            if (event.sequence() < next || waiting.contains(event.sequence())) {
                work.duplicates++;
                if (event.held()) {
                    work.released.add(held(event));
                }
                continue;
            }
            if (event.sequence() > next) {
                waiting.add(event.sequence());
                if (!event.held()) {
                    work.held.add(held(event));
                    // reported in bulk by HeldEvents (log, status, metrics); one line an event would flood a big gap
                    LOG.debugf("holding event %d of %s: the replica is at %d", (Object) event.sequence(), event.kidc(),
                            state.version());
                }
                continue;
            }
            PersonState before = state;
            RegistryEvent registryEvent = event.event();
            if (registryEvent == null) {
                work.deadLetters.add(new DeadLetter(event, event.problem()));
                state = state.skipped(event.sequence(), Instant.now());
            } else {
                LifeEvents.Before was = LifeEvents.before(state);
                EventApplier.Result result = applier.apply(state, registryEvent);
                if (result instanceof EventApplier.Result.Applied applied) {
                    state = applied.state();
                    work.lifeEvents.addAll(LifeEvents.between(was, state, registryEvent.occurredAt()));
                    work.applied++;
                    work.noteEventAt(registryEvent.occurredAt());
                } else {
                    work.deadLetters.add(new DeadLetter(event, ((EventApplier.Result.Refused) result).reason()));
                    state = state.skipped(event.sequence(), registryEvent.occurredAt());
                }
            }
            if (before.record() == null && state.record() != null) {
                work.newPersons++;
            }
            StatisticalProfile after = StatisticalProfile.of(state, recordKeys);
            if (!Objects.equals(profile, after)) {
                Instant at = registryEvent == null ? state.lastEventAt() : registryEvent.occurredAt();
                work.transitions.add(new HistoryTransition(state.kidc(), PhnomPenh.day(at), after));
                profile = after;
            }
            work.changed.put(state.kidc(), state);
            if (event.held()) {
                work.released.add(held(event));
            }
        }
        if (state.known()) {
            work.changes.add(new PersonChange(state.kidc(), state.version(), state.status(), state.lastEventAt()));
        }
    }

    private Uni<BatchOutcome> finish(SqlConnection tx, Work work) {
        Uni<Void> deadLetters = work.deadLetters.isEmpty() ? Uni.createFrom().voidItem()
                : publisher.deadLetter(work.deadLetters).invoke(() -> work.deadLetters.forEach(letter ->
                        LOG.warnf("dead-lettered the event at %s offset %d: %s", letter.event().partition(),
                                letter.event().offset(), letter.reason())));
        return deadLetters
                .call(() -> persons.save(tx, work.changed.values()))
                .call(() -> history.write(tx, work.transitions))
                .call(() -> persons.hold(tx, work.held))
                .call(() -> persons.release(tx, work.released))
                .call(() -> outbox.stage(tx, work.lifeEvents))
                .call(() -> tx.preparedQuery(COUNT).execute(Tuple.tuple(Arrays.asList(work.newPersons, work.applied,
                        work.duplicates, (long) work.held.size(), (long) work.deadLetters.size(),
                        work.lastEventAt == null ? null : work.lastEventAt.atOffset(ZoneOffset.UTC),
                        work.firstHistoryDay()))))
                .map(ignored -> new BatchOutcome(work.applied, work.duplicates, work.held.size(),
                        work.released.size(), work.deadLetters.size(), work.newPersons, work.lastEventAt,
                        work.changes));
    }

    private static HeldEvent held(IncomingEvent event) {
        return new HeldEvent(event.kidc(), event.sequence(), event.text(), event.partition(), event.offset(),
                event.problem());
    }

    /** What a batch accumulates before it writes. */
    private static final class Work {
        final Map<String, PersonState> changed = new HashMap<>();
        final List<HeldEvent> held = new ArrayList<>();
        final List<HeldEvent> released = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<PersonChange> changes = new ArrayList<>();
        final List<LifeEvent> lifeEvents = new ArrayList<>();
        final List<HistoryTransition> transitions = new ArrayList<>();
        long applied;
        long duplicates;
        long newPersons;
        Instant lastEventAt;

        Set<String> lifeEventKidcs() {
            Set<String> kidcs = new HashSet<>();
            lifeEvents.forEach(event -> kidcs.add(event.kidc()));
            return kidcs;
        }

        /** The earliest day the batch's history changes: where the history begins, if it has not yet. */
        LocalDate firstHistoryDay() {
            return transitions.stream().map(HistoryTransition::day).min(Comparator.naturalOrder()).orElse(null);
        }

        void noteEventAt(Instant at) {
            if (lastEventAt == null || at.isAfter(lastEventAt)) {
                lastEventAt = at;
            }
        }
    }
}
