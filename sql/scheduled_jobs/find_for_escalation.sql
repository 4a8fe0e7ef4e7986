-- What a schedule-disabled escalation says about the schedule, read after the check that disabled
-- it committed: the check's time (last_run) is when it was disabled.
SELECT name, launcher, job_type, retry_count, max_retries, last_error, last_run AS disabled_at, enabled
FROM lamplighter.scheduled_jobs
WHERE name = :name
