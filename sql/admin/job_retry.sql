-- POST /api/jobs/{id}/retry: as sql/cookbook/job_retry.sql. A failed (or cancelled) job runs
-- again with all its attempts back; its last error stays until the next attempt ends.
-- :now is null in production (the database clock).
UPDATE lamplighter.jobs
SET status = 'queued', attempts = 0, run_at = coalesce(CAST(:now AS timestamptz), now()), completed_at = NULL
WHERE job_id = :job_id
  AND status IN ('failed', 'cancelled')
