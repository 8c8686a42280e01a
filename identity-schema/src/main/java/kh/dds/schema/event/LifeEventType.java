package kh.dds.schema.event;

/**
 * The changes to a person that a relying party may be notified of (SPEC §4.5). What is a life event is decided by the
 * replica from what an event did to the person's record, not from the event's name alone: a correction that changes
 * a name is a name change, a correction that revokes a document is a revocation.
 */
public enum LifeEventType {
    /** The person died. */
    DECEASED,
    /** The KIdC was retired as a duplicate in favour of a survivor ({@link LifeEvent#survivorKidc()}). */
    RETIRED,
    /** The person's family or given name changed, in either script. */
    NAME_CHANGED,
    /** One of the person's identity documents was revoked. */
    DOCUMENT_REVOKED
}
