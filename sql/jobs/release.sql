-- A worker shuts down before a job finished: give the job back, attempt not counted. Only the
-- attempt this node claimed.
UPDATE lamplighter.jobs
SET status       = 'queued',
    attempts     = greatest(attempts - 1, 0),
    locked_by    = NULL,
    locked_until = NULL,
    last_error   = 'released by node ' || :nodeId || ' at shutdown'
WHERE job_id = :jobId
  AND attempts = :attempt
  AND status = 'running'
  AND locked_by = :nodeId
