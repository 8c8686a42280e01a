#!/bin/bash
# The Job postgres-roles: once the primary answers, gives the database dds the services' login roles, schemas and
# grants (dds-roles.sql, the same script the tests and the local run apply) and sets each role's password from its
# Secret (dds-db-replica, dds-db-api, dds-db-billing), in one transaction. Idempotent: it upgrades a database made
# before it in place (every object then belongs to its schema's service) and changes nothing on a second run.
# Keycloak's database is apart: a database keycloak of its own, owned by the role dds_keycloak (password from the
# Secret dds-db-keycloak), which has no grant in the database dds; made in a second step, because CREATE DATABASE
# cannot run inside the first step's transaction.
# The passwords reach psql as variables from the environment (\getenv, psql 15 or newer), never on a command line.
set -euo pipefail

: "${PGHOST:?}" "${PGDATABASE:?}" "${PGUSER:?}" "${PGPASSWORD:?}"
: "${REPLICA_DB_PASSWORD:?}" "${API_DB_PASSWORD:?}" "${BILLING_DB_PASSWORD:?}" "${KEYCLOAK_DB_PASSWORD:?}"

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

# Keycloak: its role (a login and nothing else) and its database, which it owns (so its own migrations create its
# tables in the database's schema public) and which no one else may connect to
psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --file=- <<'SQL'
\getenv keycloak_password KEYCLOAK_DB_PASSWORD
\o /dev/null
SELECT pg_advisory_lock(hashtext('dds-keycloak'));
SELECT 'CREATE ROLE dds_keycloak' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dds_keycloak') \gexec
ALTER ROLE dds_keycloak LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'keycloak_password';
SELECT 'CREATE DATABASE keycloak OWNER dds_keycloak ENCODING ''UTF8'' TEMPLATE template0'
    WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'keycloak') \gexec
ALTER DATABASE keycloak OWNER TO dds_keycloak;
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
SELECT pg_advisory_unlock(hashtext('dds-keycloak'));
SQL
echo "role dds_keycloak and its database keycloak: ready"
