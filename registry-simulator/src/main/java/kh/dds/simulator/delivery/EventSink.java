package kh.dds.simulator.delivery;

/**
 * Where generated events go: a Kafka topic, an NDJSON file, or nowhere (a dry run). Sending does not wait;
 * {@link #flush()} waits until everything sent so far is acknowledged or has failed.
 */
public interface EventSink extends AutoCloseable {

    void send(String key, String value);

    /** Blocks until every event sent so far is acknowledged (or failed: see {@link #failure()}). */
    void flush();

    long sent();

    long acknowledged();

    /** The first failure to deliver an event, or {@code null}. */
    Throwable failure();

    /** What the sink writes to, for the log. */
    String describe();

    @Override
    void close();
}
