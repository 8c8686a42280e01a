#!/bin/bash
# Starts one Kafka node of the StatefulSet in KRaft combined mode (broker and controller in one process).
# The node id is the pod's ordinal (kafka-0 -> 0); the controller quorum is the static set of every pod of the
# StatefulSet, KAFKA_BROKERS of them. The configuration is written to a writable emptyDir (the image's root
# filesystem is mounted read-only), the data directory is formatted once with CLUSTER_ID, then the broker runs
# as this shell's replacement so that it receives SIGTERM and shuts down cleanly.
#
# Authentication and authorisation: clients and brokers authenticate with SASL/SCRAM-SHA-512 on 9092 (the
# administrator "admin", a super user, for the brokers themselves and the kafka-topics Job; one principal per
# service, created by that Job with its ACLs); the controllers with SASL/PLAIN on 9093 (KRaft controllers cannot
# use SCRAM: its credentials live in the metadata they serve), as "admin" too. KAFKA_ADMIN_PASSWORD comes from the
# Secret dds-kafka-admin; the configuration file that holds it is readable by this user alone. The admin's SCRAM
# credential is written into the metadata when the storage is formatted (a node formatted before this change needs
# it added once: k8s/README.md, "Kafka authentication"). StandardAuthorizer: what no ACL allows is refused.
# Traffic is not encrypted (SASL_PLAINTEXT): inside the namespace, behind the network policies; for SASL_SSL add a
# keystore and set the listeners' protocol (k8s/README.md).
set -euo pipefail
umask 077

: "${CLUSTER_ID:?CLUSTER_ID must be set}"
: "${KAFKA_ADMIN_PASSWORD:?KAFKA_ADMIN_PASSWORD must be set}"
: "${KAFKA_BROKERS:?KAFKA_BROKERS must be set}"
: "${POD_NAMESPACE:?POD_NAMESPACE must be set}"
cluster_domain="${CLUSTER_DOMAIN:-cluster.local}"
service="${KAFKA_HEADLESS_SERVICE:-kafka-headless}"
statefulset="${HOSTNAME%-*}"
node_id="${HOSTNAME##*-}"
config_dir=/var/run/kafka
config="$config_dir/server.properties"

host_of() {
  echo "${statefulset}-$1.${service}.${POD_NAMESPACE}.svc.${cluster_domain}"
}

voters=""
for ((i = 0; i < KAFKA_BROKERS; i++)); do
  voters="${voters:+$voters,}${i}@$(host_of "$i"):9093"
done

mkdir -p "$config_dir"
cat >"$config" <<PROPERTIES
process.roles=broker,controller
node.id=${node_id}
controller.quorum.voters=${voters}
controller.listener.names=CONTROLLER
listeners=CLIENT://:9092,CONTROLLER://:9093
advertised.listeners=CLIENT://$(host_of "$node_id"):9092
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=CLIENT
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=PLAIN
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}" user_admin="${KAFKA_ADMIN_PASSWORD}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
log.dirs=/var/lib/kafka/data/logs

# durability: nothing acknowledged with acks=all is lost while one broker of three is down
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
unclean.leader.election.enable=false
# topics are created by the kafka-topics Job, with their partitions and settings, never by a client's typo
auto.create.topics.enable=false
num.partitions=${KAFKA_DEFAULT_PARTITIONS:-12}

group.initial.rebalance.delay.ms=3000
log.retention.hours=168
log.segment.bytes=1073741824
num.network.threads=${KAFKA_NUM_NETWORK_THREADS:-3}
num.io.threads=${KAFKA_NUM_IO_THREADS:-8}
num.recovery.threads.per.data.dir=2
PROPERTIES

echo "kafka: node ${node_id} of ${KAFKA_BROKERS}, quorum ${voters}"
# the admin's SCRAM credential, for the brokers' own connections, in the metadata from the start (the tool takes it on
# its command line only: visible inside this container, for the moment the format takes)
/opt/kafka/bin/kafka-storage.sh format --cluster-id "$CLUSTER_ID" --config "$config" --ignore-formatted \
  --add-scram "SCRAM-SHA-512=[name=admin,password=${KAFKA_ADMIN_PASSWORD}]"
exec /opt/kafka/bin/kafka-server-start.sh "$config"
