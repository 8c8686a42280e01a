package kh.dds.schema.lookup;

/** What a contract may buy. */
public enum Product {
    VERIFY, LOOKUP, BULK_VERIFY, STATISTICS, NOTIFY
}
