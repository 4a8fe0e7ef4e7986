-- How many of the race's schedules are due at :now.
SELECT count(*)
FROM lamplighter.scheduled_jobs
WHERE name LIKE 'race-%'
  AND enabled
  AND next_run <= coalesce(CAST(:now AS timestamptz), now())
