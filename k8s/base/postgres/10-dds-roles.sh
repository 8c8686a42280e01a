#!/bin/bash
# Runs once, when the primary's data directory is first initialised (the postgres image runs
# /docker-entrypoint-initdb.d/*.sh after initdb). Creates the services' login (owner of the database dds, so that
# each service's Flyway creates its own schema) and the replication login, and lets the replicas connect for
# streaming replication. The passwords come from the Secret dds-postgres.
set -euo pipefail

: "${DDS_APP_USER:?}" "${DDS_APP_PASSWORD:?}" "${REPLICATION_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=app_user="$DDS_APP_USER" --set=app_password="$DDS_APP_PASSWORD" \
  --set=replication_password="$REPLICATION_PASSWORD" --set=database="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"app_user" WITH LOGIN PASSWORD :'app_password';
ALTER DATABASE :"database" OWNER TO :"app_user";
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'replication_password';
SQL

# the image's pg_hba.conf admits every database with a password, but a replication connection matches only lines
# that name "replication"
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
