package kh.dds.api.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "api.audit")
public interface AuditConfig {

    /** The topic lookup records are written to. */
    @WithDefault("api.lookup-records")
    String topic();

    /**
     * How long a call waits for the broker to make its record durable before it fails closed with {@code 503}. The
     * producer gives up on the record within this time, so a late acknowledgement cannot follow a refusal.
     */
    @WithDefault("5s")
    Duration deliveryTimeout();

    /** How long the producer lingers to batch records (the latency floor of every audited call). */
    @WithDefault("0ms")
    Duration linger();

    /** Further producer settings (e.g. {@code compression.type}, security), passed as they are. */
    Map<String, String> producer();
}
