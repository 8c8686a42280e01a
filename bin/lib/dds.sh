# shellcheck shell=bash disable=SC2034
# Shared by bin/dds-up and bin/dds-down: messages, PID files, port checks. Sourced, not run.
# Every process the scripts start runs in its own session (setsid) with -Ddds.service=<name> on its command line,
# and has .local/pids/<name>.pid. A PID counts as ours only while /proc/<pid>/cmdline still carries that marker, so a
# stale PID file can never make dds-down signal somebody else's process.

DDS_LOCAL="$DDS_ROOT/.local"
DDS_PIDS="$DDS_LOCAL/pids"
DDS_LOGS="$DDS_LOCAL/logs"

say() { printf '%s\n' "dds: $*"; }
warn() { printf '%s\n' "dds: WARNING: $*" >&2; }
die() {
  printf '%s\n' "dds: ERROR: $*" >&2
  exit 1
}

pid_file() { printf '%s' "$DDS_PIDS/$1.pid"; }

# The PID in .local/pids/<name>.pid if that process is alive and is the one we started; fails otherwise.
our_pid() {
  local name=$1 file pid
  file=$(pid_file "$name")
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-Ddds.service=$name " || return 1
  printf '%s' "$pid"
}

# True if a TCP connection to host:port opens within 2 s.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# True if Redis at host:port answers PING with PONG.
redis_pings() {
  local reply
  reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2 && printf 'PING\r\n' >&3 && IFS= read -r line <&3 && printf '%s' \"\$line\"" 2>/dev/null) || return 1
  [[ $reply == +PONG* ]]
}

# Waits until host:port answers; fails early, with the log's tail, if the process dies.
wait_for_port() {
  local name=$1 host=$2 port=$3 pid=$4 log=$5 seconds=$6 waited=0
  until port_open "$host" "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 25 "$log" >&2 || true
      die "$name exited before it answered on $host:$port (log: $log)"
    fi
    if ((waited >= seconds * 2)); then
      die "$name did not answer on $host:$port within ${seconds}s (log: $log)"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

# Fails with a clear message if something already listens on the port we are about to bind.
require_free_port() {
  local port=$1 what=$2 hint=$3
  if port_open 127.0.0.1 "$port"; then
    die "port $port, needed for $what, is already taken by another process. $hint (If an earlier dds-up left it behind, bin/dds-down stops it.)"
  fi
}

# start_process NAME LOG COMMAND...: runs COMMAND in the background in its own session, records its PID.
# COMMAND must be a java command line whose first JVM option is -Ddds.service=NAME.
start_process() {
  local name=$1 log=$2
  shift 2
  mkdir -p "$DDS_PIDS" "$(dirname "$log")"
  printf '\n===== %s starting %s =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$log"
  setsid "$@" >>"$log" 2>&1 </dev/null &
  printf '%s' "$!" >"$(pid_file "$name")"
  LAST_PID=$!
}
