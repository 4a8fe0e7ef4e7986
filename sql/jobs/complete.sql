-- A job's handler returned: store its result. A compare-and-set on the attempt this node claimed
-- (job, attempt, owner, running), so that retrying the write is safe and an attempt that was
-- taken back from this node and claimed again (by any node) cannot be completed by the old one.
UPDATE lamplighter.jobs
SET status       = 'completed',
    result       = CAST(:result AS jsonb),
    completed_at = coalesce(CAST(:now AS timestamptz), now()),
    locked_by    = NULL,
    locked_until = NULL,
    last_error   = NULL
WHERE job_id = :jobId
  AND attempts = :attempt
  AND locked_by = :nodeId
  AND status = 'running'
