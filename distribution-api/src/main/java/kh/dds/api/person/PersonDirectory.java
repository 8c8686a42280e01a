package kh.dds.api.person;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a person for a verification or a lookup: from the Redis cache when it holds a current copy, else from the
 * replica (one primary-key read), which then fills the cache. Unknown persons are not cached: the next registration
 * must be visible at once.
 *
 * <p>A bulk chunk's persons are read together ({@link #findAll}): one query on the replica, not the cache. Its lines
 * are mostly persons nobody asked for lately (a roll is read once), so a cache read would be a miss costing Redis
 * time that the interactive calls need, and filling the cache with a million-line roll would push the interactive
 * working set out of it. The replica is the cache's own source, at least as fresh.
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

    /** Many persons at once, from the replica in one query, keyed by KIdC; the unknown ones are absent. */
    public Uni<Map<String, ReplicaPerson>> findAll(Collection<String> kidcs) {
        return replica.readAll(kidcs);
    }
}
