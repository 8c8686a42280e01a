package kh.dds.api.call;

import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the counters' Redis must not evict. A counters client pointed by mistake at a Redis that evicts (the
 * cache's, say) would run every call as usual until memory pressure silently reset a quota or forgot an idempotency
 * key; this check keeps such a node out of service instead.
 *
 * <p>The policy is read with {@code CONFIG GET maxmemory-policy}. A Redis that refuses {@code CONFIG} (some managed
 * services rename it) cannot be judged here and is reported up, with the reason in the check's data.
 */
@Readiness
@ApplicationScoped
public class CountersRedisCheck implements AsyncHealthCheck {

    static final String REQUIRED_POLICY = "noeviction";

    private final ReactiveRedisDataSource redis;

    public CountersRedisCheck(@RedisClientName(UsageLimits.CLIENT) ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var check = HealthCheckResponse.named("counters-redis-eviction-policy");
        return redis.execute("CONFIG", "GET", "maxmemory-policy")
                .map(response -> {
                    // RESP2: [name, value]; RESP3: {name: value}
                    String policy = response.isMap() ? response.get("maxmemory-policy").toString()
                            : response.get(1).toString();
                    return check.withData("maxmemory-policy", policy).status(REQUIRED_POLICY.equals(policy)).build();
                })
                .onFailure().recoverWithItem(failure -> check.up()
                        .withData("maxmemory-policy", "unknown: " + failure.getMessage()).build());
    }
}
