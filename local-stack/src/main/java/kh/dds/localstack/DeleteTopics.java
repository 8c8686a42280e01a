package kh.dds.localstack;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Deletes topics that a benchmark created for itself, so that repeated runs do not fill the local broker.
 *
 * <pre>java -cp ... kh.dds.localstack.DeleteTopics --bootstrap-servers 127.0.0.1:9092 --topic bench1.person-events</pre>
 */
public final class DeleteTopics {

    private static final String USAGE = "usage: DeleteTopics --bootstrap-servers HOST:PORT --topic NAME [--topic ...]";

    private DeleteTopics() {
    }

    public static void main(String[] args) {
        Options.run("DeleteTopics", () -> {
            Options options = Options.parse(args, USAGE);
            List<String> topics = options.all("topic");
            if (topics.isEmpty()) {
                throw new Options.UsageException("no --topic given\n" + USAGE);
            }
            Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.required("bootstrap-servers"));
            properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "dds-local-stack");
            try (Admin admin = Admin.create(properties)) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            }
            topics.forEach(topic -> System.out.println("deleted topic " + topic));
        });
    }
}
