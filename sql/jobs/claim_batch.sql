-- Claim up to :limit runnable jobs of the given types for one worker node: highest priority
-- first, then oldest run_at. Rows another worker has locked are skipped, not waited for.
WITH next AS (
    -- Per job type, the first :limit runnable rows in claim order (an ordered read of
    -- jobs_claim_by_type that stops at the limit), then the first :limit of those overall: a claim
    -- never sorts the whole backlog, whatever the planner's statistics say.
    SELECT c.job_id
    FROM unnest(CAST(:jobTypes AS text[])) AS t(job_type)
    CROSS JOIN LATERAL (
        SELECT q.job_id, q.priority, q.run_at
        FROM lamplighter.jobs q
        WHERE q.status = 'queued'
          AND q.job_type = t.job_type
          AND q.run_at <= coalesce(CAST(:now AS timestamptz), now())
        ORDER BY q.priority DESC, q.run_at, q.job_id
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    ) AS c
    ORDER BY c.priority DESC, c.run_at, c.job_id
    LIMIT :limit
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
