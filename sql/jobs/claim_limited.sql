-- Claim up to :limit runnable jobs of one limited job type, and no more than its limit leaves:
-- max_running (1 when exclusive) minus the jobs of the type running now, on any node (claimed
-- jobs waiting in a node's prefetch buffer are 'running' rows too). Runs under the type's lock
-- (claim_limited_lock.sql, same transaction, earlier statement). A type whose limit an operator
-- removed since the node last looked is claimed up to :limit.
WITH lim AS (
    SELECT CASE WHEN t.exclusive THEN 1 ELSE t.max_running END AS max_running
    FROM lamplighter.job_types t
    WHERE t.job_type = :jobType
),
room AS (
    SELECT CASE WHEN (SELECT lim.max_running FROM lim) IS NULL THEN CAST(:limit AS bigint)
                ELSE greatest(0, least(CAST(:limit AS bigint),
                        (SELECT lim.max_running FROM lim)
                        - (SELECT count(*) FROM lamplighter.jobs r WHERE r.status = 'running' AND r.job_type = :jobType)))
           END AS n
),
next AS (
    SELECT q.job_id
    FROM lamplighter.jobs q
    WHERE q.status = 'queued'
      AND q.job_type = :jobType
      AND q.run_at <= coalesce(CAST(:now AS timestamptz), now())
    ORDER BY q.priority DESC, q.run_at, q.job_id
    LIMIT (SELECT room.n FROM room)
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
