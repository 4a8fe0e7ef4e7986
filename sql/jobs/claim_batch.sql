-- Claim up to :limit runnable jobs of the given types for one worker node: highest priority
-- first, then oldest run_at. Rows another worker has locked are skipped, not waited for.
-- Types with a concurrency limit (lamplighter.job_types) are not claimed here: they are claimed
-- one type at a time under that type's lock (claim_limited_lock.sql, claim_limited.sql). This
-- statement returns one row per such type after the claimed jobs, with a NULL job_id, so that the
-- node learns which of its types are limited from the claim it makes anyway, and from the same
-- snapshot that excluded them.
WITH limited AS (
    SELECT l.job_type
    FROM lamplighter.job_types l
    WHERE l.job_type = ANY (CAST(:jobTypes AS text[]))
      AND (l.max_running IS NOT NULL OR l.exclusive)
),
next AS (
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
    WHERE t.job_type NOT IN (SELECT limited.job_type FROM limited)
    ORDER BY c.priority DESC, c.run_at, c.job_id
    LIMIT :limit
),
claimed AS (
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
)
SELECT job_id, job_type, payload, schedule_name, attempts, max_attempts, started_at, timeout_ms
FROM claimed
UNION ALL
SELECT NULL, limited.job_type, NULL, NULL, NULL, NULL, NULL, NULL
FROM limited
