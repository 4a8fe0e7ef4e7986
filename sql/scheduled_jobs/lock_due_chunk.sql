-- Take a chunk of due schedules for a check, in the chunk's own transaction: the rows named by
-- :names whose next_run is still the slot in :slots (same order), that this node can check. A row
-- not returned is being checked by another node or already was (next_run moved on), or changed so
-- that this node can no longer check it: the slot is not checked twice.
SELECT s.name, s.launcher, s.job_type, s.schedule_cron,
       CAST(extract(epoch FROM s.schedule_interval) * 1000 AS bigint) AS interval_ms,
       s.time_zone, s.next_run AS slot, s.last_success, s.retry_count, s.max_retries,
       CAST(s.params AS text) AS params, s.automation, s.priority, s.max_attempts, s.pending_trigger, s.requires,
       CAST(extract(epoch FROM s.misfire_grace) * 1000 AS bigint) AS misfire_grace_ms, s.last_error,
       coalesce(CAST(:now AS timestamptz), now()) AS now
FROM lamplighter.scheduled_jobs s
JOIN unnest(CAST(:names AS text[]), CAST(CAST(:slots AS text[]) AS timestamptz[])) AS due(name, slot)
  ON s.name = due.name AND s.next_run = due.slot
WHERE s.enabled
  AND s.launcher = ANY (CAST(:launchers AS text[]))
  AND s.requires <@ CAST(:capabilities AS text[])
ORDER BY s.next_run, s.name
FOR UPDATE OF s SKIP LOCKED
