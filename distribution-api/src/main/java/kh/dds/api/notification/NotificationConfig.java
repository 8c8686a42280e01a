package kh.dds.api.notification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Change notifications (SPEC §4.5): subscriptions, the feed and webhook delivery. */
@ConfigMapping(prefix = "api.notifications")
public interface NotificationConfig {

    /** KIdCs written to PostgreSQL per statement while a subscription upload streams in. Default 5000. */
    @WithDefault("5000")
    int uploadBatch();

    /** At most this many KIdCs in one upload. Default 10,000,000. */
    @WithDefault("10000000")
    long uploadMaxKidcs();

    /** Notifications per feed page at most (a caller may ask for fewer). Default 500. */
    @WithDefault("500")
    int feedPageMax();

    /**
     * Where the key that encrypts webhook signing secrets at rest is (a location as {@code api.token.signing-key}:
     * {@code classpath:…} or a file; 32 bytes, raw or base64). Without it, webhooks cannot be registered (503).
     */
    Optional<String> secretKey();

    /** How the webhook is delivered. */
    Webhook webhook();

    interface Webhook {

        /** Deliver at all on this node (every node shares the work through leases). Default true. */
        @WithDefault("true")
        boolean enabled();

        /** Only {@code https} URLs (production). Default true; the local run and the tests set false. */
        @WithDefault("true")
        boolean requireHttps();

        /** Loopback targets allowed (127.0.0.0/8, ::1). Default false; the local run and the tests allow them. */
        @WithDefault("false")
        boolean allowLoopback();

        /** Private, link-local, unique-local and other non-public targets allowed. Default false. */
        @WithDefault("false")
        boolean allowPrivate();

        /** How often each node looks for due deliveries. Default 250 ms. */
        @WithDefault("250ms")
        Duration poll();

        /** Deliveries claimed per endpoint per poll, and in flight per endpoint on one node at most. Default 16. */
        @WithDefault("16")
        int perEndpoint();

        /** How long a claimed delivery is leased to its node before another node may take it. Default 60 s. */
        @WithDefault("60s")
        Duration lease();

        /** Connect and answer timeout of one attempt. Default 10 s. */
        @WithDefault("10s")
        Duration timeout();

        /** The first retry's delay; each further one doubles it, with ±50 % jitter. Default 5 s. */
        @WithDefault("5s")
        Duration retryInitial();

        /** The longest delay between two attempts. Default 1 h. */
        @WithDefault("1h")
        Duration retryMax();

        /**
         * How long after its first delivery attempt (however long it waited behind others before) a notification is
         * retried before it is parked. Default 3 days.
         */
        @WithDefault("P3D")
        Duration retryBudget();

        /** How long the previous secret keeps signing after a rotation. Default 24 h. */
        @WithDefault("PT24H")
        Duration rotationOverlap();
    }
}
