-- Two roles for people: lamplighter_reader may look at everything; lamplighter_operator may also
-- enable, disable and trigger schedules, change their timetable and params, approve, reject and
-- retry jobs, pause and resume the cluster, and drain nodes. Every operator command of the CLI and
-- every cookbook file runs as the role its header names (CookbookTest and OperatorRolesTest run them so). Safe to run more than once; run
-- it again after an upgrade, so that tables added by new migrations are granted too. Grant a role
-- to a login with: GRANT lamplighter_operator TO alice;
-- Role: a superuser, or the owner of schema lamplighter with CREATEROLE
--   psql "$DATABASE_URL" -f sql/cookbook/grants.sql
--
-- UPDATE (params) lets an operator change the query of a SQL condition (launcher lamplighter.sql,
-- lamplighter.hysteresis). That is safe because no node runs such a query as itself: it runs as
-- lamplighter_condition (migration V6), which can read only what you GRANT SELECT to it. Do not
-- give lamplighter_condition more than SELECT on what conditions need.
--
-- Application roles whose writes are counted by lamplighter.count_changes (a trigger, see
-- counter_trigger_example.sql) need: GRANT USAGE ON SCHEMA lamplighter TO app;
--                                    GRANT INSERT, UPDATE ON lamplighter.counters TO app;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_reader') THEN
        CREATE ROLE lamplighter_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_operator') THEN
        CREATE ROLE lamplighter_operator NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA lamplighter TO lamplighter_reader, lamplighter_operator;
GRANT SELECT ON ALL TABLES IN SCHEMA lamplighter TO lamplighter_reader, lamplighter_operator;
-- pending_trigger: a trigger (CLI `trigger`, LamplighterClient.trigger) says why the schedule is due.
GRANT UPDATE (enabled, next_run, pending_trigger, retry_count, max_retries, automation, params, schedule_cron,
              schedule_interval, time_zone, misfire_grace)
    ON lamplighter.scheduled_jobs TO lamplighter_operator;
-- job_types: job_type_limits.sql sets, clears and makes exclusive a job type's concurrency limit.
GRANT INSERT (job_type, max_running, exclusive), UPDATE (max_running, exclusive)
    ON lamplighter.job_types TO lamplighter_operator;
-- last_error: reject.sql records who rejected a job.
GRANT UPDATE (status, attempts, run_at, completed_at, last_error) ON lamplighter.jobs TO lamplighter_operator;
-- The CLI's and the admin page's job actions write who did what; the audit row commits with the change.
GRANT INSERT ON lamplighter.admin_audit TO lamplighter_operator;
-- cluster_state and nodes: pause.sql / resume.sql pause the cluster, drain.sql drains a node (the CLI's
-- pause, resume, drain, undrain upsert the one row, hence INSERT).
GRANT INSERT (id, paused, reason, paused_by, paused_at), UPDATE (paused, reason, paused_by, paused_at)
    ON lamplighter.cluster_state TO lamplighter_operator;
GRANT UPDATE (drain_requested_at, drain_requested_by, drained_at) ON lamplighter.nodes TO lamplighter_operator;
