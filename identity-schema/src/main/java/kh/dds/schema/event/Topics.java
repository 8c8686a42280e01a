package kh.dds.schema.event;

/** The Kafka topics the services share. */
public final class Topics {

    /** The registry's events, key = KIdC. */
    public static final String PERSON_EVENTS = "registry.person-events";
    /** Events the replica could not apply, with the reason in the {@code dds-dlq-reason} header. */
    public static final String PERSON_EVENTS_DLQ = "registry.person-events.dlq";
    /** The replica's compact change signal (key = KIdC, compacted): a person's replica row changed. */
    public static final String PERSON_CHANGES = "registry.person-changes";

    /**
     * The replica's typed life events ({@link LifeEvent}, JSON, key = KIdC, not compacted: every event counts): a
     * person died, was retired in favour of a survivor, changed name or lost a document. The API's notifications
     * follow it.
     */
    public static final String PERSON_NOTIFICATIONS = "registry.person-notifications";

    /**
     * The distribution API's lookup records ({@link kh.dds.schema.lookup.LookupRecord}, JSON, key = lookup id): one
     * for every personal-data call, durable before the call is answered. The audit ledger and billing consume it.
     */
    public static final String LOOKUP_RECORDS = "api.lookup-records";

    private Topics() {
    }
}
