package kh.dds.simulator.delivery;

/** A dry run: events are generated and encoded, then dropped. Measures the generator alone. */
public final class DiscardingSink implements EventSink {

    private long sent;
    private long bytes;

    @Override
    public void send(String key, String value) {
        sent++;
        bytes += value.length();
    }

    @Override
    public void flush() {
    }

    @Override
    public long sent() {
        return sent;
    }

    @Override
    public long acknowledged() {
        return sent;
    }

    /** Characters of JSON generated (a check that the work was not optimised away). */
    public long characters() {
        return bytes;
    }

    @Override
    public Throwable failure() {
        return null;
    }

    @Override
    public String describe() {
        return "nowhere (dry run)";
    }

    @Override
    public void close() {
    }
}
