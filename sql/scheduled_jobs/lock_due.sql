-- Take one due schedule for a check, in the check's own transaction. No row back means another
-- node is checking it or already has (next_run moved on): the slot is not checked twice.
SELECT name, launcher, job_type, schedule_cron,
       CAST(extract(epoch FROM schedule_interval) * 1000 AS bigint) AS interval_ms,
       time_zone, next_run AS slot, last_success, retry_count, max_retries,
       CAST(params AS text) AS params, automation, priority, max_attempts, pending_trigger, requires,
       coalesce(CAST(:now AS timestamptz), now()) AS now
FROM lamplighter.scheduled_jobs
WHERE name = :name
  AND enabled
  AND next_run = :slot
FOR UPDATE SKIP LOCKED
