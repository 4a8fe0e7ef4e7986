-- Claim up to :limit runnable jobs of the given types for one worker node: highest priority
-- first, then oldest run_at. Rows another worker has locked are skipped, not waited for.
WITH next AS (
    SELECT job_id
    FROM lamplighter.jobs
    WHERE status = 'queued'
      AND run_at <= coalesce(CAST(:now AS timestamptz), now())
      AND job_type = ANY (CAST(:jobTypes AS text[]))
    ORDER BY priority DESC, run_at, job_id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
UPDATE lamplighter.jobs j
SET status       = 'running',
    attempts     = j.attempts + 1,
    locked_by    = :nodeId,
    locked_until = coalesce(CAST(:now AS timestamptz), now()) + CAST(:leaseMs AS bigint) * interval '1 millisecond',
    started_at   = coalesce(CAST(:now AS timestamptz), now())
FROM next
WHERE j.job_id = next.job_id
RETURNING j.job_id, j.job_type, CAST(j.payload AS text) AS payload, j.schedule_name, j.attempts,
          j.max_attempts, j.started_at, j.timeout_ms
