package kh.dds.localstack;

/**
 * Creates Kafka topics unless they exist, and raises the partition count of one that has fewer.
 *
 * <pre>
 * java -cp ... kh.dds.localstack.EnsureTopics --bootstrap-servers 127.0.0.1:9092 \
 *     --topic registry.person-events:12 --topic registry.person-changes:12:cleanup.policy=compact
 * </pre>
 */
public final class EnsureTopics {

    private static final String USAGE =
            "usage: EnsureTopics --bootstrap-servers HOST:PORT --topic NAME:PARTITIONS[:KEY=VALUE,...] [--topic ...]";

    private EnsureTopics() {
    }

    public static void main(String[] args) {
        Options.run("EnsureTopics", () -> {
            Options options = Options.parse(args, USAGE);
            String bootstrapServers = options.required("bootstrap-servers");
            var topics = options.all("topic").stream().map(TopicSpec::parse).toList();
            if (topics.isEmpty()) {
                throw new Options.UsageException("no --topic given\n" + USAGE);
            }
            KafkaTopics.ensure(bootstrapServers, topics).forEach(line -> System.out.println("topic " + line));
        });
    }
}
