-- Failed attempts of a batch (job id, attempt, error, retry delay in ms, pairwise): each job goes
-- back to the queue after its delay while attempts remain, else fails for good; the error is kept
-- either way. Each row is a compare-and-set on the attempt this node claimed (job, attempt, owner,
-- running), as in fail_attempt.sql: retrying a batch whose earlier try committed changes nothing,
-- and an attempt taken back from this node cannot be failed by it. Returns, for each row it
-- changed, the job id, the new status and run_at.
UPDATE lamplighter.jobs j
SET status       = CASE WHEN j.attempts < j.max_attempts THEN 'queued' ELSE 'failed' END,
    run_at       = CASE WHEN j.attempts < j.max_attempts
                        THEN coalesce(CAST(:now AS timestamptz), now()) + b.retry_ms * interval '1 millisecond'
                        ELSE j.run_at END,
    completed_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE coalesce(CAST(:now AS timestamptz), now()) END,
    last_error   = b.error,
    locked_by    = NULL,
    locked_until = NULL
FROM unnest(CAST(:jobIds AS bigint[]), CAST(:attempts AS integer[]), CAST(:errors AS text[]),
            CAST(:retryMs AS bigint[])) AS b(job_id, attempt, error, retry_ms)
WHERE j.job_id = b.job_id
  AND j.attempts = b.attempt
  AND j.locked_by = :nodeId
  AND j.status = 'running'
RETURNING j.job_id, j.status, j.run_at
