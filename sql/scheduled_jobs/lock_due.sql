-- Take one due schedule for a check, in the check's own transaction. No row back means another
-- node is checking it or already has (next_run moved on), or it changed so that this node can no
-- longer check it: the slot is not checked twice.
SELECT name, launcher, job_type, schedule_cron,
       CAST(extract(epoch FROM schedule_interval) * 1000 AS bigint) AS interval_ms,
       time_zone, next_run AS slot, last_success, retry_count, max_retries,
       CAST(params AS text) AS params, automation, priority, max_attempts, pending_trigger, requires,
       CAST(extract(epoch FROM misfire_grace) * 1000 AS bigint) AS misfire_grace_ms, last_error,
       coalesce(CAST(:now AS timestamptz), now()) AS now
FROM lamplighter.scheduled_jobs
WHERE name = :name
  AND enabled
  AND next_run = :slot
  AND launcher = ANY (CAST(:launchers AS text[]))
  AND requires <@ CAST(:capabilities AS text[])
FOR UPDATE SKIP LOCKED
