-- Due schedules this node can check, oldest slot first. The slot is the next_run that made the
-- schedule due. Rows whose launcher this node lacks, or that require a capability it lacks, are
-- left out here, so that however many of them stay due they never crowd out the rest
-- (list_uncheckable.sql reports them). :launchers and :capabilities are this node's.
SELECT name, launcher, next_run AS slot
FROM lamplighter.scheduled_jobs
WHERE enabled
  AND next_run <= coalesce(CAST(:now AS timestamptz), now())
  AND launcher = ANY (CAST(:launchers AS text[]))
  AND requires <@ CAST(:capabilities AS text[])
ORDER BY next_run, name
LIMIT :limit
