-- Due schedules this node cannot check (its launcher is not registered here, or it requires a
-- capability this node lacks), not yet reported by this node (:reported), oldest first and bounded
-- by :limit, so that the report costs little however many such rows there are. Rows another
-- transaction holds are passed over.
SELECT name, launcher, requires, next_run AS slot, pending_trigger,
       coalesce(CAST(:now AS timestamptz), now()) AS now
FROM lamplighter.scheduled_jobs
WHERE enabled
  AND next_run <= coalesce(CAST(:now AS timestamptz), now())
  AND NOT (launcher = ANY (CAST(:launchers AS text[])) AND requires <@ CAST(:capabilities AS text[]))
  AND NOT (name = ANY (CAST(:reported AS text[])))
ORDER BY next_run, name
LIMIT :limit
FOR UPDATE SKIP LOCKED
