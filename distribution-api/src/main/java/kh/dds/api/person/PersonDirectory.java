package kh.dds.api.person;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Finds a person for a verification or a lookup: from the Redis cache when it holds a current copy, else from the
 * replica (one primary-key read), which then fills the cache. Unknown persons are not cached: the next registration
 * must be visible at once.
 */
@ApplicationScoped
public class PersonDirectory {

    private final PersonCache cache;
    private final PersonReplicaReader replica;

    public PersonDirectory(PersonCache cache, PersonReplicaReader replica) {
        this.cache = cache;
        this.replica = replica;
    }

    public Uni<Optional<ReplicaPerson>> find(String kidc) {
        return cache.get(kidc).flatMap(cached -> cached.isPresent() ? Uni.createFrom().item(cached)
                : replica.read(kidc).call(found -> found.map(cache::fill).orElse(Uni.createFrom().item(false))));
    }
}
