-- Schedules whose timetable an UPDATE changed without setting next_run (V5 marks them), for the
-- poll loop to recompute next_run. A row with a pending trigger is left to its check, which
-- computes next_run from the new timetable anyway. Rows another transaction holds are passed over.
SELECT name, schedule_cron,
       CAST(extract(epoch FROM schedule_interval) * 1000 AS bigint) AS interval_ms,
       time_zone, last_run, next_run,
       coalesce(CAST(:now AS timestamptz), now()) AS now
FROM lamplighter.scheduled_jobs
WHERE timetable_changed
  AND enabled
  AND pending_trigger IS NULL
ORDER BY name
LIMIT :limit
FOR UPDATE SKIP LOCKED
