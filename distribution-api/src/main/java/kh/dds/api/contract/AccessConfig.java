package kh.dds.api.contract;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "api.access")
public interface AccessConfig {

    /**
     * How long a node trusts what it read of a client and its contract. A suspension, an expiry or a revocation made
     * on another node is refused here within this time; on the node that made it, at once.
     */
    @WithDefault("2s")
    Duration refresh();
}
