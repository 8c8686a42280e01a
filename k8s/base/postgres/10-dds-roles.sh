#!/bin/bash
# Runs once, when the primary's data directory is first initialised (the postgres image runs
# /docker-entrypoint-initdb.d/*.sh after initdb). Creates the replication login and lets the replicas connect for
# streaming replication; its password comes from the Secret dds-postgres. The services' own logins, their schemas
# and grants are the Job postgres-roles' (dds-roles.sql), which runs on every apply, not only on a new volume.
set -euo pipefail

: "${REPLICATION_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'replication_password';
SQL

# the image's pg_hba.conf admits every database with a password, but a replication connection matches only lines
# that name "replication"
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
