-- Whether a SQL condition may run under the condition role: the role exists, has no power beyond
-- what was granted to it, and owns lamplighter.run_condition (so the query runs as that role).
-- Whether the node may SET ROLE to it is learnt from the SET itself (sql_condition_enter).
-- Positional parameter: the condition role's name.
SELECT r.rolname IS NOT NULL AS role_exists,
       coalesce(r.rolsuper OR r.rolbypassrls
                OR pg_has_role(r.oid, 'pg_read_server_files', 'USAGE')
                OR pg_has_role(r.oid, 'pg_write_server_files', 'USAGE')
                OR pg_has_role(r.oid, 'pg_execute_server_program', 'USAGE')
                OR pg_has_role(r.oid, 'pg_signal_backend', 'USAGE'), false) AS role_too_powerful,
       (SELECT pg_get_userbyid(p.proowner)
        FROM pg_proc AS p
        WHERE p.oid = to_regprocedure('lamplighter.run_condition(text)')) AS runner_owner,
       session_user AS node_role
FROM (SELECT CAST(? AS text) AS wanted) AS w
LEFT JOIN pg_roles AS r ON r.rolname = w.wanted
