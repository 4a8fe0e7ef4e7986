-- POST /api/jobs/{id}/reject: as sql/cookbook/reject.sql, naming the actor of the request.
-- It never runs; the schedule can launch again at its next check.
-- :now is null in production (the database clock).
UPDATE lamplighter.jobs
SET status = 'rejected', completed_at = coalesce(CAST(:now AS timestamptz), now()),
    last_error = 'rejected by ' || CAST(:actor AS text)
WHERE job_id = :job_id
  AND status = 'awaiting_approval'
