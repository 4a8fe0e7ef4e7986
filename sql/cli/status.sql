-- The CLI's `status`: every schedule with its last check and whether a live node can run it.
SELECT name, schedule, time_zone, enabled, last_run, last_success, next_run, last_outcome,
       retry_count, max_retries, launcher, launcher_registered, active_jobs, last_error
FROM lamplighter.schedule_status
ORDER BY name
