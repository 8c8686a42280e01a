package kh.dds.schema.event;

/** The kinds of change the Population Registry publishes about a person. */
public enum EventType {
    PersonRegistered,
    PersonCorrected,
    NameChanged,
    AddressChanged,
    CivilStatusChanged,
    DocumentIssued,
    DocumentRevoked,
    PersonDeceased,
    PersonMerged;

    public static EventType parse(String name) {
        for (EventType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
