-- A due schedule names a launcher this node does not have: say so in last_error (once; the row
-- is left due so that a node that has the launcher picks it up).
UPDATE lamplighter.scheduled_jobs
SET last_error = :error
WHERE name = :name
  AND last_error IS DISTINCT FROM :error
