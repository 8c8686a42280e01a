package kh.dds.replica.snapshot;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import kh.dds.replica.ReplicaConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/** On partition assignment, skips the events that a loaded snapshot already holds. */
@ApplicationScoped
@Identifier("person-events-rebalance")
public class SnapshotPositions implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(SnapshotPositions.class);

    private final ReplicaConfig config;
    private final SnapshotStartup startup;

    public SnapshotPositions(ReplicaConfig config, SnapshotStartup startup) {
        this.config = config;
        this.startup = startup;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Long snapshotPosition = startup.positions().get(partition.partition());
            if (partition.topic().equals(config.topic()) && snapshotPosition != null
                    && consumer.position(partition) < snapshotPosition) {
                LOG.infof("partition %d: following from the snapshot's position %d", partition.partition(),
                        snapshotPosition);
                consumer.seek(partition, snapshotPosition);
            }
        }
    }
}
