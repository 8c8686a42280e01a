#!/bin/bash
# The Job postgres-roles: once the primary answers, gives the database dds the services' login roles, schemas and
# grants (dds-roles.sql, the same script the tests and the local run apply) and sets each role's password from its
# Secret (dds-db-replica, dds-db-api, dds-db-billing), in one transaction. Idempotent: it upgrades a database made
# before it in place (every object then belongs to its schema's service) and changes nothing on a second run.
# The passwords reach psql as variables from the environment (\getenv, psql 15 or newer), never on a command line.
set -euo pipefail

: "${PGHOST:?}" "${PGDATABASE:?}" "${PGUSER:?}" "${PGPASSWORD:?}"
: "${REPLICA_DB_PASSWORD:?}" "${API_DB_PASSWORD:?}" "${BILLING_DB_PASSWORD:?}"

echo "waiting for PostgreSQL at ${PGHOST}"
for attempt in $(seq 1 60); do
  if pg_isready --quiet; then
    break
  fi
  if ((attempt == 60)); then
    echo "PostgreSQL did not answer in 10 minutes" >&2
    exit 1
  fi
  sleep 10
done

{
  cat /opt/dds/dds-roles.sql
  # psql reads :'name' from its variables: quoted as a literal, whatever the password holds
  echo "\\getenv replica_password REPLICA_DB_PASSWORD"
  echo "\\getenv api_password API_DB_PASSWORD"
  echo "\\getenv billing_password BILLING_DB_PASSWORD"
  echo "ALTER ROLE dds_replica PASSWORD :'replica_password';"
  echo "ALTER ROLE dds_api PASSWORD :'api_password';"
  echo "ALTER ROLE dds_billing PASSWORD :'billing_password';"
} | psql -v ON_ERROR_STOP=1 --single-transaction --no-psqlrc --quiet --file=-
echo "roles dds_replica, dds_api, dds_billing: ready in ${PGDATABASE}"
