-- A job's attempt failed (the handler threw or timed out): retry after :retryMs while attempts
-- remain, else fail for good. The error is kept either way. A compare-and-set on the attempt this
-- node claimed, as in complete.sql. Returns the new status and run_at.
UPDATE lamplighter.jobs
SET status       = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
    run_at       = CASE WHEN attempts < max_attempts
                        THEN coalesce(CAST(:now AS timestamptz), now()) + CAST(:retryMs AS bigint) * interval '1 millisecond'
                        ELSE run_at END,
    completed_at = CASE WHEN attempts < max_attempts THEN NULL ELSE coalesce(CAST(:now AS timestamptz), now()) END,
    last_error   = :error,
    locked_by    = NULL,
    locked_until = NULL
WHERE job_id = :jobId
  AND attempts = :attempt
  AND locked_by = :nodeId
  AND status = 'running'
RETURNING status, run_at
