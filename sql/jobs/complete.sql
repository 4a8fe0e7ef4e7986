-- A job's handler returned: store its result. Guarded by the lock, so a job the rescuer took
-- back from a slow worker is not overwritten.
UPDATE lamplighter.jobs
SET status       = 'completed',
    result       = CAST(:result AS jsonb),
    completed_at = coalesce(CAST(:now AS timestamptz), now()),
    locked_by    = NULL,
    locked_until = NULL,
    last_error   = NULL
WHERE job_id = :jobId
  AND status = 'running'
  AND locked_by = :nodeId
