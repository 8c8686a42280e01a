-- One PostgreSQL login role per service, the schemas each owns, and what each may read of the others'. Run as a
-- superuser in the service's database, in one transaction, as often as wanted: it creates what is missing and
-- brings what exists to this model, so a database made before it (every schema and table owned by the superuser
-- that ran the migrations) is upgraded in place.
--
--   dds_replica  owns replica                      reads nothing else
--   dds_api      owns api, audit                   reads replica (the read model: replica.person, replica_state)
--   dds_billing  owns billing                      reads api, audit (contracts, clients, tariffs, the ledger)
--
-- Owning its schemas is what lets a service's Flyway migrate them and create partitions at run time; a schema read by
-- another role gets USAGE and SELECT on every table, now and (default privileges) for every table its owner creates
-- later. Nothing else is granted, so no service can write another's schema.
--
-- The same file runs in the tests and the local run (local-stack's DatabaseRoles reads it from the classpath) and in
-- Kubernetes (the Job postgres-roles). Passwords are not set here: each caller sets them from its own secrets.
-- The roles are cluster-wide: a second database on the same server shares them.

-- one setup at a time per database (the tests' JVMs and a Job retried by Kubernetes may meet)
SELECT pg_advisory_xact_lock(hashtext('dds-roles'));

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['dds_replica', 'dds_api', 'dds_billing'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
                               role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created meanwhile from another database of the same server
            END;
        ELSIF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name
                      AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls
                           OR NOT rolcanlogin)) THEN
            EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
                           role_name);
        END IF;
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), role_name);
    END LOOP;
    -- The API's migration V2 says CREATE SCHEMA IF NOT EXISTS audit, which PostgreSQL checks against the database's
    -- CREATE privilege even when the schema exists, and an applied migration cannot change. dds_api may therefore
    -- create schemas (of its own); it still cannot write anyone else's.
    EXECUTE format('GRANT CREATE ON DATABASE %I TO dds_api', current_database());
    EXECUTE format('REVOKE CREATE ON DATABASE %I FROM dds_replica, dds_billing', current_database());
END $$;

-- nobody creates anything in public
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE
    owned  CONSTANT text[][] := ARRAY[['replica', 'dds_replica'], ['api', 'dds_api'], ['audit', 'dds_api'],
                                      ['billing', 'dds_billing']];
    -- reader, schema
    reads  CONSTANT text[][] := ARRAY[['dds_api', 'replica'], ['dds_billing', 'api'], ['dds_billing', 'audit']];
    services CONSTANT text[] := ARRAY['dds_replica', 'dds_api', 'dds_billing'];
    schema_name text;
    owner_name  text;
    reader      text;
    item        record;
BEGIN
    FOR i IN 1 .. array_length(owned, 1) LOOP
        schema_name := owned[i][1];
        owner_name := owned[i][2];
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', schema_name, owner_name);
        IF (SELECT nspowner FROM pg_namespace WHERE nspname = schema_name) <> owner_name::regrole THEN
            EXECUTE format('ALTER SCHEMA %I OWNER TO %I', schema_name, owner_name);
        END IF;

        -- what an earlier owner left: tables (partitions included, one by one), views, free-standing sequences,
        -- functions and types; indexes and a column's sequence follow their table
        FOR item IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                    WHERE c.relnamespace = schema_name::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                      AND c.relowner <> owner_name::regrole LOOP
            EXECUTE format('ALTER %s %s OWNER TO %I',
                           CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                             WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                           item.name, owner_name);
        END LOOP;
        FOR item IN SELECT c.oid::regclass AS name FROM pg_class c
                    WHERE c.relnamespace = schema_name::regnamespace AND c.relkind = 'S'
                      AND c.relowner <> owner_name::regrole
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                      AND d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
            EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', item.name, owner_name);
        END LOOP;
        FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                    WHERE p.pronamespace = schema_name::regnamespace AND p.proowner <> owner_name::regrole LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.name, owner_name);
        END LOOP;
        FOR item IN SELECT t.oid::regtype AS name, t.typtype FROM pg_type t
                    WHERE t.typnamespace = schema_name::regnamespace AND t.typowner <> owner_name::regrole
                      AND t.typtype IN ('e', 'd', 'r', 'm')
                      AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid) LOOP
            EXECUTE format('ALTER %s %s OWNER TO %I', CASE item.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                           item.name, owner_name);
        END LOOP;

        -- Flyway drops a schema it created when it cleans; these schemas are made here now, and their owners may
        -- not create them again: Flyway's record of having created one goes, so that a clean empties it instead
        FOR item IN SELECT c.oid::regclass AS name FROM pg_class c
                    WHERE c.relnamespace = schema_name::regnamespace AND c.relkind = 'r'
                      AND c.relname LIKE '%schema_history'
                      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'type') LOOP
            EXECUTE format('DELETE FROM %s WHERE type = %L', item.name, 'SCHEMA');
        END LOOP;

        -- no other service holds anything in it, but what the reads below grant
        FOREACH reader IN ARRAY services LOOP
            IF reader <> owner_name THEN
                EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', schema_name, reader);
                EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', schema_name, reader);
                EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', schema_name, reader);
                EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM %I', schema_name, reader);
                EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I REVOKE ALL ON TABLES FROM %I',
                               owner_name, schema_name, reader);
            END IF;
        END LOOP;
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', schema_name);
    END LOOP;

    FOR i IN 1 .. array_length(reads, 1) LOOP
        reader := reads[i][1];
        schema_name := reads[i][2];
        owner_name := (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = schema_name);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', schema_name, reader);
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', schema_name, reader);
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT ON TABLES TO %I',
                       owner_name, schema_name, reader);
    END LOOP;
END $$;
