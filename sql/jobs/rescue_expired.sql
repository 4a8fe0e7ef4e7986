-- Jobs whose lease ran out (their node died or stalled): back to the queue while attempts remain,
-- else failed. Returns what was rescued. A job of an exclusive type (lamplighter.job_types) waits
-- while its node is still live (seen within :liveMs), up to :liveMs after its lease ran out: its
-- handler may still run there, and a second job of the type must not start beside it.
UPDATE lamplighter.jobs
SET status       = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
    completed_at = CASE WHEN attempts < max_attempts THEN NULL ELSE coalesce(CAST(:now AS timestamptz), now()) END,
    last_error   = 'lease of node ' || locked_by || ' expired at ' || CAST(locked_until AS text),
    locked_by    = NULL,
    locked_until = NULL
WHERE job_id IN (SELECT job_id
                 FROM lamplighter.jobs r
                 WHERE r.status = 'running'
                   AND r.locked_until < coalesce(CAST(:now AS timestamptz), now())
                   AND NOT EXISTS (
                       SELECT 1
                       FROM lamplighter.job_types t
                       JOIN lamplighter.nodes n ON n.node_id = r.locked_by
                       WHERE t.job_type = r.job_type
                         AND t.exclusive
                         AND n.last_seen_at >= coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond'
                         AND r.locked_until >= coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond')
                 ORDER BY r.locked_until
                 LIMIT :limit
                 FOR UPDATE SKIP LOCKED)
RETURNING job_id, job_type, status
