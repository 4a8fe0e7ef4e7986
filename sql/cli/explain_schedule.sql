-- The CLI's `explain` and `doctor`: one schedule as the poll loop reads it for a check (as
-- sql/scheduled_jobs/lock_due.sql, without the lock and without the due filters), with "now".
-- :now is null in production (the database clock).
SELECT name, launcher, job_type, schedule_cron,
       CAST(extract(epoch FROM schedule_interval) * 1000 AS bigint) AS interval_ms,
       time_zone, enabled, next_run, last_success, retry_count, max_retries, last_error,
       CAST(params AS text) AS params, automation, requires, pending_trigger,
       coalesce(CAST(:now AS timestamptz), now()) AS now
FROM lamplighter.scheduled_jobs
WHERE name = :name
