package kh.dds.api.person;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "api.person-cache")
public interface PersonCacheConfig {

    /**
     * How long a cached person lives at most. Change signals evict a changed person at once; this bounds what a lost
     * Redis write could leave behind.
     */
    @WithDefault("5m")
    Duration ttl();
}
