package kh.dds.schema.event;

/** The Kafka topics the services share. */
public final class Topics {

    /** The registry's events, key = KIdC. */
    public static final String PERSON_EVENTS = "registry.person-events";
    /** Events the replica could not apply, with the reason in the {@code dds-dlq-reason} header. */
    public static final String PERSON_EVENTS_DLQ = "registry.person-events.dlq";
    /** The replica's compact change signal (key = KIdC, compacted): a person's replica row changed. */
    public static final String PERSON_CHANGES = "registry.person-changes";

    private Topics() {
    }
}
