-- POST /api/jobs/{id}/approve: as sql/cookbook/approve.sql, on the admin API's clock. Only a job
-- that waits for a human; the workers are woken by the status change (NOTIFY, V1).
-- :now is null in production (the database clock).
UPDATE lamplighter.jobs
SET status = 'queued', run_at = coalesce(CAST(:now AS timestamptz), now())
WHERE job_id = :job_id
  AND status = 'awaiting_approval'
