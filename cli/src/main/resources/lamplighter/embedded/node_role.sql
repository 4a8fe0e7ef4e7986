-- The embedded server's roles, run as the superuser at every start (safe to run again).
--   lamplighter            the node's own login: owns its database and the schema it migrates;
--                          no superuser, no CREATEROLE, no CREATEDB.
--   lamplighter_condition  the role SQL conditions run under (SET LOCAL ROLE); no login.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter') THEN
        CREATE ROLE lamplighter LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;
    ELSIF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter'
                  AND (rolsuper OR rolcreaterole OR rolcreatedb OR NOT rolcanlogin)) THEN
        ALTER ROLE lamplighter LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_condition') THEN
        CREATE ROLE lamplighter_condition NOLOGIN NOSUPERUSER;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'lamplighter_condition'
                   JOIN pg_roles r ON r.oid = m.member AND r.rolname = 'lamplighter') THEN
        IF current_setting('server_version_num')::int >= 160000 THEN
            EXECUTE 'GRANT lamplighter_condition TO lamplighter WITH INHERIT FALSE, SET TRUE';
        ELSE
            EXECUTE 'GRANT lamplighter_condition TO lamplighter';
        END IF;
    END IF;
END
$$
