-- Due schedules, oldest slot first. The slot is the next_run that made the schedule due.
SELECT name, launcher, next_run AS slot
FROM lamplighter.scheduled_jobs
WHERE enabled
  AND next_run <= coalesce(CAST(:now AS timestamptz), now())
ORDER BY next_run, name
LIMIT :limit
