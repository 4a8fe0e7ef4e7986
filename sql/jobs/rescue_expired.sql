-- Jobs whose lease ran out (their node died or stalled): back to the queue while attempts remain,
-- else failed. Returns what was rescued.
UPDATE lamplighter.jobs
SET status       = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
    completed_at = CASE WHEN attempts < max_attempts THEN NULL ELSE coalesce(CAST(:now AS timestamptz), now()) END,
    last_error   = 'lease of node ' || locked_by || ' expired at ' || CAST(locked_until AS text),
    locked_by    = NULL,
    locked_until = NULL
WHERE job_id IN (SELECT job_id
                 FROM lamplighter.jobs
                 WHERE status = 'running'
                   AND locked_until < coalesce(CAST(:now AS timestamptz), now())
                 ORDER BY locked_until
                 LIMIT :limit
                 FOR UPDATE SKIP LOCKED)
RETURNING job_id, job_type, status
