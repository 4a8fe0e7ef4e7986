-- Two roles for people: lamplighter_reader may look at everything; lamplighter_operator may also
-- enable, disable and trigger schedules and retry jobs. Safe to run more than once. Grant a
-- role to a login with: GRANT lamplighter_operator TO alice;
--   psql "$DATABASE_URL" -f sql/cookbook/grants.sql
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
GRANT UPDATE (enabled, next_run, retry_count, max_retries, automation, params, schedule_cron, time_zone)
    ON lamplighter.scheduled_jobs TO lamplighter_operator;
GRANT UPDATE (status, attempts, run_at, completed_at) ON lamplighter.jobs TO lamplighter_operator;
