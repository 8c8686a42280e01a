#!/bin/bash
# Creates the service's topics once the brokers answer, and brings their settings to what is declared here. Safe to
# run again: a topic that exists keeps its partitions (a count lower than declared is reported, not changed: adding
# partitions moves keys to other partitions, which is a decision for an operator; see k8s/README.md).
#
# Then it gives each service its own Kafka principal (SCRAM-SHA-512, the password from the service's Secret
# dds-kafka-<service>) and the ACLs that allow it exactly what it reads and writes (the "allow" lines at the end:
# k8s/validate.sh checks that only the API writes api.lookup-records and only the replica registry.person-changes).
# It connects as the super user admin (Secret dds-kafka-admin). ACLs are only added: one removed from this script
# stays on the cluster until an operator removes it (kafka-acls.sh --remove).
set -euo pipefail
umask 077

: "${BOOTSTRAP_SERVERS:?}" "${PERSON_EVENTS_PARTITIONS:?}" "${DLQ_PARTITIONS:?}" "${REPLICATION_FACTOR:?}" "${MIN_INSYNC_REPLICAS:?}"
: "${LOOKUP_RECORDS_PARTITIONS:?}"
: "${KAFKA_ADMIN_PASSWORD:?}" "${KAFKA_REPLICA_PASSWORD:?}" "${KAFKA_API_PASSWORD:?}" "${KAFKA_BILLING_PASSWORD:?}"
: "${KAFKA_REGISTRY_PASSWORD:?}"
bin=/opt/kafka/bin

# the admin's client settings, in a file of this user's alone (not on a command line)
admin_config=$(mktemp)
trap 'rm -f "$admin_config"' EXIT
cat >"$admin_config" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
PROPERTIES
admin=(--bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$admin_config")

echo "waiting for the brokers at ${BOOTSTRAP_SERVERS}"
for attempt in $(seq 1 60); do
  if "$bin/kafka-topics.sh" "${admin[@]}" --list >/dev/null 2>&1; then
    break
  fi
  if ((attempt == 60)); then
    echo "the brokers did not answer in 10 minutes" >&2
    exit 1
  fi
  sleep 10
done

# topic  partitions  settings (comma-separated)
ensure_topic() {
  local topic="$1" partitions="$2" settings="$3" pair
  local -a config_args=() pairs=()
  IFS=',' read -ra pairs <<<"$settings"
  for pair in "${pairs[@]}"; do
    config_args+=(--config "$pair")
  done
  "$bin/kafka-topics.sh" "${admin[@]}" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" "${config_args[@]}"
  "$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type topics \
    --entity-name "$topic" --add-config "$settings"
  local actual
  actual=$("$bin/kafka-topics.sh" "${admin[@]}" --describe --topic "$topic" \
    | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -n 1)
  if ((actual < partitions)); then
    echo "WARNING: ${topic} has ${actual} partitions, ${partitions} are declared; not changed (see k8s/README.md)"
  fi
  echo "${topic}: ${actual} partitions, replication factor ${REPLICATION_FACTOR}, ${settings}"
}

# The registry's events: kept without a time limit, because a replica is rebuilt from a snapshot plus the events
# after the snapshot's positions (a few GB a year for 17 million persons).
ensure_topic registry.person-events "$PERSON_EVENTS_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=-1,unclean.leader.election.enable=false"

# Dead letters with their reasons: an operator's work queue, kept 90 days.
ensure_topic registry.person-events.dlq "$DLQ_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=7776000000,unclean.leader.election.enable=false"

# The replica's change signal, one record per person (key = KIdC), compacted: the latest version of every person.
ensure_topic registry.person-changes "$PERSON_EVENTS_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},cleanup.policy=compact,min.compaction.lag.ms=60000,unclean.leader.election.enable=false"

# The replica's typed life events (key = KIdC: deaths, retirements, name changes, revocations), every one of them for
# the API's notifications: not compacted, kept 14 days so that the API can catch up after a long outage.
ensure_topic registry.person-notifications "$PERSON_EVENTS_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=1209600000,unclean.leader.election.enable=false"

# The API's lookup records (key = lookup id), one per personal-data call, durable here (acks=all, idempotent
# producer) before the call's answer goes out: the audit trail. Kept 7 days (604800000 ms): long enough for the audit
# ledger and the billing consumers to catch up after an outage of days, not a store of its own (they keep what they
# consumed). Partitions (LOOKUP_RECORDS_PARTITIONS) bound the consumers of each group (audit-ledger, billing): a
# count that the groups' pod counts divide, from k8s/README.md's sizing.
ensure_topic api.lookup-records "$LOOKUP_RECORDS_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=604800000,unclean.leader.election.enable=false"

# Lookup records the audit ledger (api.lookup-records.dlq) or billing (api.lookup-records.billing-dlq) could not
# hold, parked as they arrived with the reason; each is also a quarantined entry of the ledger. Kept 90 days.
ensure_topic api.lookup-records.dlq "$DLQ_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=7776000000,unclean.leader.election.enable=false"
ensure_topic api.lookup-records.billing-dlq "$DLQ_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=7776000000,unclean.leader.election.enable=false"

"$bin/kafka-topics.sh" "${admin[@]}" --describe \
  --topic '(registry\.person-(events|events\.dlq|changes)|api\.lookup-records(\.dlq|\.billing-dlq)?)' | grep -v '^\s*Topic:.*Partition:' || true

# ---------------------------------------------------------------- principals and ACLs

# ensure_user NAME PASSWORD: the principal's SCRAM-SHA-512 credential (set again on every run: a changed Secret takes
# effect here; the service then needs a restart)
ensure_user() {
  local user="$1" password="$2" credential
  credential=$(mktemp)
  printf 'SCRAM-SHA-512=[iterations=8192,password=%s]\n' "$password" >"$credential"
  "$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type users --entity-name "$user" \
    --add-config-file "$credential" >/dev/null
  rm -f "$credential"
  echo "principal ${user}: SCRAM-SHA-512 credential set"
}

# allow PRINCIPAL OPERATION topic|group NAME: one ACL (READ and WRITE imply DESCRIBE)
allow() {
  local principal="$1" operation="$2" kind="$3" name="$4"
  "$bin/kafka-acls.sh" "${admin[@]}" --add --allow-principal "User:${principal}" --operation "$operation" \
    "--${kind}" "$name" >/dev/null
  echo "ACL: ${principal} may ${operation} ${kind} ${name}"
}

ensure_user dds-replica "$KAFKA_REPLICA_PASSWORD"
ensure_user dds-api "$KAFKA_API_PASSWORD"
ensure_user dds-billing "$KAFKA_BILLING_PASSWORD"
ensure_user dds-registry "$KAFKA_REGISTRY_PASSWORD"

# The registry (its publisher; registry-simulator in a demo) writes the events, and nothing else.
allow dds-registry WRITE topic registry.person-events

# registry-replica: follows the events, parks the ones it cannot apply, and signals every change.
allow dds-replica READ topic registry.person-events
allow dds-replica READ group registry-replica
allow dds-replica WRITE topic registry.person-events.dlq
allow dds-replica WRITE topic registry.person-changes
allow dds-replica WRITE topic registry.person-notifications

# distribution-api: the only writer of the lookup records (the audit trail); follows the change signal (its person
# cache) and the lookup records (its audit ledger, which parks what it cannot hold on its dead-letter topic).
allow dds-api WRITE topic api.lookup-records
allow dds-api WRITE topic api.lookup-records.dlq
allow dds-api READ topic registry.person-changes
allow dds-api READ group distribution-api-person-cache
allow dds-api READ topic registry.person-notifications
allow dds-api READ group distribution-api-notifications
allow dds-api READ topic api.lookup-records
allow dds-api READ group distribution-api-audit-ledger

# billing: meters the lookup records, parks what it cannot hold on its own dead-letter topic.
allow dds-billing READ topic api.lookup-records
allow dds-billing READ group billing-meter
allow dds-billing WRITE topic api.lookup-records.billing-dlq
