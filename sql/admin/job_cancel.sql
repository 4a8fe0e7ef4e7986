-- POST /api/jobs/{id}/cancel: a job that has not started (queued or awaiting approval) never runs.
-- A running job is not interrupted (the API answers 409). Retry brings a cancelled job back.
-- :now is null in production (the database clock).
UPDATE lamplighter.jobs
SET status = 'cancelled', completed_at = coalesce(CAST(:now AS timestamptz), now()),
    last_error = 'cancelled by ' || CAST(:actor AS text)
WHERE job_id = :job_id
  AND status IN ('queued', 'awaiting_approval')
