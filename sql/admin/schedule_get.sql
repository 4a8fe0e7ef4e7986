-- GET /api/schedules/{name}: one schedule, with the columns of the CLI's `status` (sql/cli/status.sql).
SELECT name, schedule, time_zone, enabled, last_run, last_success, next_run, last_outcome,
       retry_count, max_retries, launcher, launcher_registered, active_jobs, last_error
FROM lamplighter.schedule_status
WHERE name = :name
