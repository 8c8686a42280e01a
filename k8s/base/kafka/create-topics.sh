#!/bin/bash
# Creates the service's topics once the brokers answer, and brings their settings to what is declared here. Safe to
# run again: a topic that exists keeps its partitions (a count lower than declared is reported, not changed: adding
# partitions moves keys to other partitions, which is a decision for an operator; see k8s/README.md).
set -euo pipefail

: "${BOOTSTRAP_SERVERS:?}" "${PERSON_EVENTS_PARTITIONS:?}" "${DLQ_PARTITIONS:?}" "${REPLICATION_FACTOR:?}" "${MIN_INSYNC_REPLICAS:?}"
bin=/opt/kafka/bin

echo "waiting for the brokers at ${BOOTSTRAP_SERVERS}"
for attempt in $(seq 1 60); do
  if "$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --list >/dev/null 2>&1; then
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
  "$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" "${config_args[@]}"
  "$bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --alter --entity-type topics \
    --entity-name "$topic" --add-config "$settings"
  local actual
  actual=$("$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --describe --topic "$topic" \
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

# The API's lookup records (key = lookup id), one per personal-data call, durable here (acks=all, idempotent
# producer) before the call's answer goes out: the audit trail. Kept 7 days (604800000 ms): long enough for the audit
# ledger and the billing consumers to catch up after an outage of days, not a store of its own (they keep what they
# consumed). Partitions as registry.person-events: the API's peak rate, spread over as many consumers.
ensure_topic api.lookup-records "$PERSON_EVENTS_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=604800000,unclean.leader.election.enable=false"

# Lookup records the audit ledger (api.lookup-records.dlq) or billing (api.lookup-records.billing-dlq) could not
# hold, parked as they arrived with the reason; each is also a quarantined entry of the ledger. Kept 90 days.
ensure_topic api.lookup-records.dlq "$DLQ_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=7776000000,unclean.leader.election.enable=false"
ensure_topic api.lookup-records.billing-dlq "$DLQ_PARTITIONS" \
  "min.insync.replicas=${MIN_INSYNC_REPLICAS},retention.ms=7776000000,unclean.leader.election.enable=false"

"$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --describe \
  --topic '(registry\.person-(events|events\.dlq|changes)|api\.lookup-records(\.dlq|\.billing-dlq)?)' | grep -v '^\s*Topic:.*Partition:' || true
