package kh.dds.api.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kh.dds.api.contract.DataPolicyField;
import kh.dds.api.person.PersonReplicaReader;
import kh.dds.api.person.ReplicaPerson;
import kh.dds.schema.event.LifeEvent;
import kh.dds.schema.event.LifeEventType;
import kh.dds.schema.kidc.Kidc;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows the replica's life events ({@code registry.person-notifications}, consumer group
 * {@code distribution-api-notifications}, one for the whole API) and writes one notification per subscribed contract
 * and life event, a batch at a time. Matching is one indexed query by KIdC per batch. A life event seen again (the
 * replica's outbox is at-least-once, a batch is redelivered after a crash) is the same notification: its
 * (contract, event id) is unique. The batch is acknowledged only once its notifications are committed; a failure is
 * retried with back-off until it succeeds, so no life event is skipped.
 */
@ApplicationScoped
public class LifeEventListener {

    private static final Logger LOG = Logger.getLogger(LifeEventListener.class);

    private final NotificationStore store;
    private final PersonReplicaReader replica;
    private final ObjectMapper mapper;

    public LifeEventListener(NotificationStore store, PersonReplicaReader replica, ObjectMapper mapper) {
        this.store = store;
        this.replica = replica;
        this.mapper = mapper;
    }

    @Incoming("person-notifications")
    public Uni<Void> onLifeEvents(List<LifeEvent> batch) {
        List<LifeEvent> events = new ArrayList<>(batch.size());
        for (LifeEvent event : batch) {
            // an unreadable record arrives as null: only the replica writes this topic, so it is logged and passed
            // over rather than allowed to stop the channel
            if (event == null || !Kidc.isValid(event.kidc())) {
                LOG.warn("a life event that is not one was passed over");
                continue;
            }
            events.add(event);
        }
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> notify(events))
                .onFailure().invoke(e -> LOG.warnf("%d life events could not be matched, retrying: %s", events.size(),
                        e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private Uni<Void> notify(List<LifeEvent> events) {
        Set<String> kidcs = new LinkedHashSet<>();
        events.forEach(event -> kidcs.add(event.kidc()));
        return store.match(kidcs).chain(matches -> {
            if (matches.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Map<String, List<NotificationStore.Match>> byKidc = new HashMap<>();
            matches.forEach(match -> byKidc.computeIfAbsent(match.kidc(), k -> new ArrayList<>()).add(match));
            Set<String> toRead = new LinkedHashSet<>();
            for (LifeEvent event : events) {
                for (NotificationStore.Match match : byKidc.getOrDefault(event.kidc(), List.of())) {
                    if (mayCarryValues(event, match.policy())) {
                        toRead.add(event.kidc());
                    }
                }
            }
            return persons(toRead).chain(persons -> {
                List<NotificationStore.New> notifications = new ArrayList<>();
                for (LifeEvent event : events) {
                    for (NotificationStore.Match match : byKidc.getOrDefault(event.kidc(), List.of())) {
                        UUID id = UUID.randomUUID();
                        NotificationBodies.Body body = NotificationBodies.of(id, event, match.policy(),
                                persons.get(event.kidc()), mapper);
                        notifications.add(new NotificationStore.New(id, match.contractId(), event.eventId(),
                                event.kidc(), event.sequence(), event.type().name(), body.json(), body.disclosed(),
                                match.hasWebhook()));
                    }
                }
                return store.create(notifications);
            });
        });
    }

    private static boolean mayCarryValues(LifeEvent event, List<DataPolicyField> policy) {
        return event.type() == LifeEventType.NAME_CHANGED
                && (policy.contains(DataPolicyField.FAMILY_NAME) || policy.contains(DataPolicyField.GIVEN_NAME))
                || event.type() == LifeEventType.DECEASED && policy.contains(DataPolicyField.DATE_OF_DEATH);
    }

    private Uni<Map<String, ReplicaPerson>> persons(Set<String> kidcs) {
        if (kidcs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<Optional<ReplicaPerson>>> reads = kidcs.stream().map(replica::read).toList();
        return Uni.join().all(reads).andFailFast().map(found -> {
            Map<String, ReplicaPerson> persons = new HashMap<>();
            found.forEach(person -> person.ifPresent(p -> persons.put(p.kidc(), p)));
            return persons;
        });
    }
}
