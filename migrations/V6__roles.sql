-- Lamplighter schema, version 6: the role SQL conditions run under.
--
-- Whoever can write a schedule's params can change the query a SQL condition runs, so the query
-- must not run with the node's own privileges (often the schema owner, sometimes a superuser).
-- A node runs every SQL condition in a savepoint with SET LOCAL ROLE lamplighter_condition (or the
-- role LAMPLIGHTER_CONDITION_ROLE names) and through lamplighter.run_condition below, a SECURITY
-- DEFINER function owned by that role. Inside it PostgreSQL refuses to change the role
-- ("cannot set parameter role within security-definer function"), so a query cannot climb back to
-- the node's role with set_config('role', ...), and it runs exactly one statement.
--
-- lamplighter_condition: NOLOGIN, not a superuser, USAGE on schema lamplighter and nothing else.
-- Grant it what conditions may read: GRANT SELECT ON my_app.documents TO lamplighter_condition.

-- Runs one read-only query and returns its rows as json objects, columns in order. Owned by the
-- condition role (see setup_condition_role), so the query runs with that role's privileges only.
-- No SET search_path: the query sees the caller's search_path, and whatever a search_path trick
-- could reach runs with the condition role's privileges, never more.
CREATE FUNCTION lamplighter.run_condition(query text) RETURNS SETOF json
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
DECLARE
    r record;
BEGIN
    -- FOR ... IN EXECUTE opens a cursor: one statement only, one that returns rows.
    FOR r IN EXECUTE query LOOP
        RETURN NEXT to_json(r);
    END LOOP;
END
$$;

REVOKE ALL ON FUNCTION lamplighter.run_condition(text) FROM PUBLIC;

COMMENT ON FUNCTION lamplighter.run_condition(text) IS
    'Runs a SQL condition''s query as the function''s owner, the condition role. Call it only after SET LOCAL ROLE to that role.';

-- Creates the condition role if it is missing, grants it USAGE on the schema, lets node_role
-- SET ROLE to it (without inheriting its privileges), and hands lamplighter.run_condition to it.
-- Run by a superuser, or by the owner of schema lamplighter with CREATEROLE (PostgreSQL 16+: with
-- ADMIN on an existing condition role), or by the owner of schema lamplighter that already may SET
-- ROLE to an existing condition role. Safe to run more than once; with another role name it
-- moves run_condition to that role (one condition role per database).
--   CALL lamplighter.setup_condition_role('lamplighter_condition', 'lamplighter_node');
CREATE PROCEDURE lamplighter.setup_condition_role(condition_role text DEFAULT 'lamplighter_condition',
                                                  node_role text DEFAULT current_user)
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = condition_role) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', condition_role);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = condition_role AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'condition role % is a superuser or bypasses row security: expected a role with no more than SELECT on what conditions read',
            condition_role;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA lamplighter TO %I', condition_role);
    -- Grant membership only where it is missing: a role that already may SET ROLE to the condition
    -- role (a DBA granted it, or the node is a superuser) needs no ADMIN option on it.
    IF current_setting('server_version_num')::int >= 160000 THEN
        IF NOT pg_has_role(node_role, condition_role, 'SET') THEN
            EXECUTE format('GRANT %I TO %I WITH INHERIT FALSE, SET TRUE', condition_role, node_role);
        END IF;
    ELSIF NOT pg_has_role(node_role, condition_role, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', condition_role, node_role);
    END IF;
    EXECUTE format('GRANT EXECUTE ON FUNCTION lamplighter.run_condition(text) TO %I', condition_role);
    -- A new owner needs CREATE on the schema for ALTER ... OWNER; it keeps none afterwards.
    EXECUTE format('GRANT CREATE ON SCHEMA lamplighter TO %I', condition_role);
    EXECUTE format('ALTER FUNCTION lamplighter.run_condition(text) OWNER TO %I', condition_role);
    EXECUTE format('REVOKE CREATE ON SCHEMA lamplighter FROM %I', condition_role);
END
$$;

REVOKE ALL ON PROCEDURE lamplighter.setup_condition_role(text, text) FROM PUBLIC;

-- Set it up now if the migrating role may: it is a superuser or has CREATEROLE, or a DBA already
-- created lamplighter_condition and let the migrating role SET ROLE to it (then the migrating role,
-- as owner of the schema and the function, does the rest). Otherwise say what a DBA runs. Never
-- fails the migration.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole))
       OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_condition')
           AND pg_has_role(current_user, 'lamplighter_condition',
                           CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END)) THEN
        BEGIN
            CALL lamplighter.setup_condition_role('lamplighter_condition', current_user);
            RETURN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'Lamplighter: cannot set up the role lamplighter_condition as %: %', current_user, SQLERRM;
        END;
    END IF;
    RAISE NOTICE '%', format('Lamplighter: SQL conditions will not run until a superuser runs: '
        'CALL lamplighter.setup_condition_role(%L, %L); (the migrating role %I may not create or grant roles)',
        'lamplighter_condition', current_user, current_user);
END
$$;
