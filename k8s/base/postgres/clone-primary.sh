#!/bin/bash
# Init container of a read replica: on first start (an empty volume) clone the primary with pg_basebackup, which
# writes standby.signal and primary_conninfo (-R), so that the postgres container starts as a hot standby that
# streams from the primary. On later starts the data directory is there and streaming resumes where it stopped.
set -euo pipefail

: "${PGDATA:?}" "${PRIMARY_HOST:?}" "${PGPASSWORD:?}"

if [[ -s "$PGDATA/PG_VERSION" ]]; then
  echo "replica: data directory present, streaming resumes from the primary"
  exit 0
fi

echo "replica: waiting for the primary at ${PRIMARY_HOST}"
until pg_isready --host "$PRIMARY_HOST" --port 5432 --timeout 5 >/dev/null; do
  sleep 5
done

# a clone interrupted half-way leaves a partial directory: start again from nothing
rm -rf "$PGDATA"
mkdir -p "$PGDATA"
chmod 0700 "$PGDATA"
echo "replica: cloning ${PRIMARY_HOST}"
pg_basebackup --host "$PRIMARY_HOST" --port 5432 --username replicator --pgdata "$PGDATA" \
  --wal-method stream --checkpoint fast --write-recovery-conf --no-password
echo "replica: cloned; starting as a hot standby"
