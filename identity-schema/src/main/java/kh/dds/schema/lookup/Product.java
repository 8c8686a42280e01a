package kh.dds.schema.lookup;

/** What a contract may buy. */
public enum Product {
    VERIFY, LOOKUP, BULK_VERIFY, STATISTICS, NOTIFY;

    /**
     * Whether a call of this product concerns one person, named by its subject KIdC: every product but
     * {@code STATISTICS}, whose calls count many persons and name none (their lookup records carry the query's
     * parameters as their {@code detail} instead).
     */
    public boolean hasSubject() {
        return this != STATISTICS;
    }
}
