-- Status of every schedule: when it was last checked, last launched, and is next due.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -f sql/cookbook/status.sql
-- A healthy schedule is enabled, has retry_count 0, and a next_run in the future. Skips are
-- normal: last_success only moves when there was work to do.
SELECT name, schedule_cron, enabled, last_run, last_success, next_run,
       last_outcome, retry_count, last_error
FROM lamplighter.scheduled_jobs
ORDER BY name;
