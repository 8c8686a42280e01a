package kh.dds.localstack;

/**
 * A Redis server that answers.
 *
 * @param embedded true when {@link LocalServices} started it in this JVM
 */
public record RedisEndpoint(String host, int port, boolean embedded) {

    /** {@code redis://host:port/db}, the form {@code quarkus.redis.hosts} takes. */
    public String url(int database) {
        if (database < 0 || database > 15) {
            throw new IllegalArgumentException("Redis database index out of 0..15: " + database);
        }
        return "redis://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "Redis " + host + ":" + port + (embedded ? " (embedded)" : "");
    }
}
