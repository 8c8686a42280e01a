# shellcheck shell=bash
# Shared by the benchmark scripts: the services of a running bin/dds-up, the tools' classpaths, a private replica.
# Sourced, not run.
DDS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bin/lib/dds.sh
source "$DDS_ROOT/bin/lib/dds.sh"

[[ -f $DDS_LOCAL/credentials.env ]] || die "run bin/dds-up first: the benchmarks use its PostgreSQL and Kafka"
# shellcheck disable=SC1091
source "$DDS_LOCAL/credentials.env"
[[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]] || die "no KAFKA_BOOTSTRAP_SERVERS in .local/credentials.env"
PG_HOSTPORT=${DDS_PG_URL#*://}
PG_HOSTPORT=${PG_HOSTPORT%%/*}
PG_HOST=${PG_HOSTPORT%%:*}
PG_PORT=${PG_HOSTPORT##*:}
PG_USER=${DDS_PG_USER:-postgres}

LOCAL_STACK_CP="$(<"$DDS_LOCAL/classpath/local-stack.txt"):$DDS_ROOT/local-stack/target/classes:$DDS_LOCAL/lib/*"
SIMULATOR=(-cp "$(<"$DDS_ROOT/registry-simulator/target/classpath.txt"):$DDS_ROOT/registry-simulator/target/classes"
  kh.dds.simulator.RegistrySimulator)
REPLICA_JAR="$DDS_ROOT/registry-replica/target/quarkus-app/quarkus-run.jar"
[[ -f $REPLICA_JAR ]] || die "registry-replica is not built: mvn -B -ntp -DskipTests install"
BENCH_DATA="$DDS_LOCAL/bench"
TOOL_JVM=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
mkdir -p "$BENCH_DATA" "$DDS_LOGS"

machine() {
  printf '%s, %s cores, %s GiB, %s\n' "$(. /etc/os-release && printf '%s' "$PRETTY_NAME")" "$(nproc)" \
    "$(free -g | awk '/Mem:/ {print $2}')" "$(java -version 2>&1 | head -n 1)"
}

ensure_database() {
  java "${TOOL_JVM[@]}" -cp "$LOCAL_STACK_CP" kh.dds.localstack.EnsureDatabase --host "$PG_HOST" --port "$PG_PORT" --user "$PG_USER" \
    --db "$1" >/dev/null
}

ensure_topics() {
  java "${TOOL_JVM[@]}" -cp "$LOCAL_STACK_CP" kh.dds.localstack.EnsureTopics --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" "$@" >/dev/null
}

snapshot_file() {
  local persons=$1 seed=$2 file="$DDS_LOCAL/data/snapshot-$1-$2.ndjson.gz"
  if [[ ! -f $file ]]; then
    mkdir -p "$DDS_LOCAL/data"
    java -Xmx1g "${SIMULATOR[@]}" snapshot --persons "$persons" --seed "$seed" --out "$file.partial" >&2
    mv "$file.partial" "$file"
  fi
  printf '%s' "$file"
}

# start_replica NAME PORT DATABASE TOPIC-PREFIX [SNAPSHOT]: a private replica process for one benchmark.
start_bench_replica() {
  local name=$1 port=$2 db=$3 prefix=$4 snapshot=${5:-}
  require_free_port "$port" "the benchmark's replica" "Stop what listens there."
  start_process "$name" "$DDS_LOGS/$name.log" env \
    QUARKUS_HTTP_PORT="$port" \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$PG_PORT/$db" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$db" \
    QUARKUS_DATASOURCE_USERNAME="$PG_USER" \
    KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" \
    REPLICA_TOPIC="$prefix.person-events" REPLICA_DEAD_LETTER_TOPIC="$prefix.person-events.dlq" \
    REPLICA_CHANGE_TOPIC="$prefix.person-changes" REPLICA_LIFE_EVENT_TOPIC="$prefix.person-notifications" \
    REPLICA_GROUP_ID="$prefix-replica" \
    REPLICA_SNAPSHOT_FILE="$snapshot" \
    java -Ddds.service="$name" -Xmx1g ${BENCH_REPLICA_JAVA_OPTS:-} -jar "$REPLICA_JAR"
  BENCH_REPLICA_PID=$LAST_PID
  wait_for_port "the benchmark's replica" 127.0.0.1 "$port" "$BENCH_REPLICA_PID" "$DDS_LOGS/$name.log" 120
}

stop_bench_replica() {
  local name=$1 pid
  if pid=$(our_pid "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$name")"
}

# json_field URL FIELD: a top-level number or string of a JSON answer (no jq needed).
json_field() {
  curl -sf "$1" | python3 -c "import functools,json,sys; print(functools.reduce(lambda v, k: v[k], sys.argv[1].split('.'), json.load(sys.stdin)))" "$2"
}

# drop_bench_data DATABASE TOPIC-PREFIX: drops a benchmark's database and topics, unless BENCH_KEEP=1 (then they are
# left for inspection).
drop_bench_data() {
  if [[ ${BENCH_KEEP:-} == 1 ]]; then
    say "database $1 and topics $2.* are left for inspection (BENCH_KEEP=1)"
    return
  fi
  if command -v psql >/dev/null 2>&1; then
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $1" || true
  fi
  java "${TOOL_JVM[@]}" -cp "$LOCAL_STACK_CP" kh.dds.localstack.DeleteTopics --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" \
    --topic "$2.person-events" --topic "$2.person-events.dlq" --topic "$2.person-changes" \
    --topic "$2.person-notifications" >/dev/null || true
}

# ---- CPU accounting: clock ticks of each process of a bin/dds-up system, by name, from /proc, before and after a
# measurement (cpu_start, then cpu_end GENERATOR_TICKS prints one line in percent of one core)
CLK_TCK=$(getconf CLK_TCK)
# every service bin/dds-up runs; a script may add groups of its own (e.g. a baseline server started by our_pid name)
GROUPS_MEASURED=(api billing registry-replica registry-simulator kafka postgres redis redis-counters keycloak console)

# a process and all its descendants (an embedded server's launcher starts the server itself as a child, PostgreSQL its
# backends)
process_tree() {
  local pid child
  for pid in "$@"; do
    printf '%s\n' "$pid"
    for child in $(pgrep -P "$pid" || true); do process_tree "$child"; done
  done
}

# The PIDs of a group: a service bin/dds-up started (by its PID file) with its descendants; the machine's own
# PostgreSQL and Redis servers when bin/dds-up uses those.
group_pids() {
  local pid
  case $1 in
    api) pid=${API_PID:-$(our_pid distribution-api || true)}; [[ -n $pid ]] && process_tree "$pid" ;;
    postgres)
      # the embedded server's launcher, and the server itself: its postmaster leaves the launcher (its parent is
      # init), found by its data directory, with its backends
      if pid=$(our_pid postgres); then
        process_tree "$pid"
        for pid in $(pgrep -f -- "^[^ ]*/postgres -D $DDS_LOCAL/postgres( |$)" || true); do
          process_tree "$pid"
        done
      else pgrep -u postgres -x postgres || true; fi ;;
    redis)
      # the cache: ours, or the machine's redis-server processes but the counters' one
      if pid=$(our_pid redis); then process_tree "$pid"
      else comm -23 <(pgrep -x redis-server | sort) <(group_pids redis-counters | sort); fi ;;
    *) if pid=$(our_pid "$1"); then process_tree "$pid"; fi ;;
  esac
}

ticks_of() {
  local total=0 pid t
  for pid in $(group_pids "$1"); do
    # fields 14 and 15 (utime, stime) after the command name, which is in parentheses
    t=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  printf '%s' "$total"
}

# machine busy ticks (all cores), and those of interrupts (the loopback's packets are mostly softirq time, charged
# to whichever process was running: shown, already within the processes' figures)
busy_ticks() {
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}
irq_ticks() {
  awk '/^cpu / {print $7 + $8}' /proc/stat
}

cpu_start() {
  CPU_T0=$(date +%s.%N)
  CPU_BUSY0=$(busy_ticks)
  CPU_IRQ0=$(irq_ticks)
  declare -gA CPU0=()
  local g
  for g in "${GROUPS_MEASURED[@]}"; do CPU0[$g]=$(ticks_of "$g"); done
}

# cpu_end GENERATOR_TICKS: one line of percentages of one core (the machine has $(nproc) × 100%)
cpu_end() {
  local generator=$1 elapsed busy irq g t known=0 line=""
  elapsed=$(echo "$(date +%s.%N) - $CPU_T0" | bc -l)
  busy=$(($(busy_ticks) - CPU_BUSY0))
  irq=$(($(irq_ticks) - CPU_IRQ0))
  for g in "${GROUPS_MEASURED[@]}"; do
    t=$(($(ticks_of "$g") - ${CPU0[$g]}))
    ((t < 0)) && t=0
    known=$((known + t))
    ((t > 0)) && line+=$(printf ' %s %.0f%%' "${g#registry-}" "$(echo "$t * 100 / $CLK_TCK / $elapsed" | bc -l)")
  done
  known=$((known + generator))
  line+=$(printf ' generator %.0f%%' "$(echo "$generator * 100 / $CLK_TCK / $elapsed" | bc -l)")
  line+=$(printf ' (irq %.0f%% within those)' "$(echo "$irq * 100 / $CLK_TCK / $elapsed" | bc -l)")
  line+=$(printf ' other %.0f%%' "$(echo "($busy - $known) * 100 / $CLK_TCK / $elapsed" | bc -l)")
  line+=$(printf ' | machine %.0f%% of %d00%%' "$(echo "$busy * 100 / $CLK_TCK / $elapsed" | bc -l)" "$(nproc)")
  printf '%s' "${line# }"
}

# claims_file: realistic verification bodies about the population bin/dds-up loaded (the simulator's `claims` command,
# DDS_PERSONS and DDS_SEED as dds-up's, BENCH_CLAIMS bodies), written once to .local/bench/claims-PERSONS-SEED.ndjson
claims_file() {
  local file="$BENCH_DATA/claims-${DDS_PERSONS:-100000}-${DDS_SEED:-42}.ndjson"
  if [[ ! -s $file ]]; then
    java -Xmx1g "${TOOL_JVM[@]}" "${SIMULATOR[@]}" claims --persons "${DDS_PERSONS:-100000}" --seed "${DDS_SEED:-42}" \
      --count "${BENCH_CLAIMS:-200000}" --out "$file" >&2
  fi
  printf '%s' "$file"
}

# wait_quiet: the machine must be quiet before a measurement: the dds-up system idling takes ~20% of one core; a build
# or a test run beside the benchmark takes the cores it measures. Waits up to BENCH_QUIET_WAIT seconds (600) for under
# BENCH_QUIET_MAX % (50), then goes on with a warning.
wait_quiet() {
  local quiet_wait=${BENCH_QUIET_WAIT:-600} waited=0 busy0 busy
  while :; do
    busy0=$(busy_ticks)
    sleep 3
    busy=$(echo "($(busy_ticks) - $busy0) * 100 / $CLK_TCK / 3" | bc)
    if ((busy <= ${BENCH_QUIET_MAX:-50})); then
      say "the machine before the run: $busy% busy of $(nproc)00% (the dds-up system idling)"
      return
    fi
    if ((waited >= quiet_wait)); then
      warn "the machine is $busy% busy of $(nproc)00% before the run (something else runs): the figures will be low"
      return
    fi
    ((waited == 0)) && say "the machine is $busy% busy of $(nproc)00%: waiting up to ${quiet_wait}s for it to be quiet"
    sleep 10
    waited=$((waited + 13))
  done
}
