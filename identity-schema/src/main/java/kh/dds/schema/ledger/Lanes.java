package kh.dds.schema.ledger;

import java.util.Optional;
import kh.dds.schema.lookup.Product;

/**
 * The ledger's lanes — its hash chains. A lookup record is chained in the lane of its Kafka partition and its
 * product, {@code 1000 × product code + partition}: one writer per partition, so the ledger scales with the
 * partitions, and one product per lane, so that a product's expired month leaves each lane one run of removed
 * entries (a few more at the month's edges), not a gap between every two records of other products.
 *
 * <p>Product codes: VERIFY 1, LOOKUP 2, BULK_VERIFY 3, STATISTICS 4, NOTIFY 5 (fixed here, not enum order).
 * Lanes below 1000 were written before lanes were split by product and mix products. Lane {@link #RETENTION} is the
 * ledger's own: its entries are the removals of expired records.
 */
public final class Lanes {

    /** The lane of {@link Removal}s. */
    public static final int RETENTION = 9_000;

    /** Partitions of the lookup-record topic a lane number can name. */
    public static final int MAX_PARTITIONS = 1_000;

    private Lanes() {
    }

    public static int of(int partition, Product product) {
        if (partition < 0 || partition >= MAX_PARTITIONS) {
            throw new IllegalArgumentException("the ledger's lanes name partitions 0 to " + (MAX_PARTITIONS - 1)
                    + ", not " + partition);
        }
        return MAX_PARTITIONS * code(product) + partition;
    }

    /** The product a lane holds; empty for a lane that mixes products (below 1000) and for the ledger's own. */
    public static Optional<Product> product(int lane) {
        int code = lane / MAX_PARTITIONS;
        for (Product product : Product.values()) {
            if (code(product) == code) {
                return Optional.of(product);
            }
        }
        return Optional.empty();
    }

    private static int code(Product product) {
        return switch (product) {
            case VERIFY -> 1;
            case LOOKUP -> 2;
            case BULK_VERIFY -> 3;
            case STATISTICS -> 4;
            case NOTIFY -> 5;
        };
    }
}
