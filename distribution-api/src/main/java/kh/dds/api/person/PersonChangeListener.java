package kh.dds.api.person;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kh.dds.schema.event.PersonChange;
import kh.dds.schema.kidc.Kidc;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Applies the replica's change signals ({@code registry.person-changes}) to the shared cache, a batch at a time. One
 * consumer group for the whole API, since the cache is shared in Redis. A batch is acknowledged once every signal
 * in it has reached Redis; while Redis is away the batch is retried with back-off and the signals wait in Kafka.
 */
@ApplicationScoped
public class PersonChangeListener {

    private static final Logger LOG = Logger.getLogger(PersonChangeListener.class);

    private final PersonCache cache;

    public PersonChangeListener(PersonCache cache) {
        this.cache = cache;
    }

    @Incoming("person-changes")
    public Uni<Void> onChanges(List<PersonChange> changes) {
        List<Uni<Boolean>> evictions = new ArrayList<>(changes.size());
        for (PersonChange change : changes) {
            // an unreadable signal arrives as null (fail-on-deserialization-failure=false): only the replica writes
            // this topic, so it is logged and passed over rather than allowed to stop the channel and the node's health
            if (change == null || !Kidc.isValid(change.kidc())) {
                LOG.warn("a change signal that is not one was passed over");
                continue;
            }
            evictions.add(cache.changed(change.kidc(), change.version()));
        }
        if (evictions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(evictions).andFailFast().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf(e, "%d change signals could not reach the cache, retrying",
                        changes.size()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
