-- Running jobs whose node can no longer finish them, back to the queue while attempts remain, else
-- failed. Returns what was rescued and why. Two reasons:
--   lease: the lease ran out (the node died or stalled and stopped extending it);
--   node:  the node is gone from lamplighter.nodes, or not seen within :liveMs, whatever the lease
--          says (a lease set by hand 100 years ahead, a node paused for longer than the live window).
-- A job of an exclusive type (lamplighter.job_types) waits while its node is still live (seen
-- within :liveMs), up to :liveMs after its lease ran out: its handler may still run there, and a
-- second job of the type must not start beside it. A live node's job with a valid lease is never
-- taken. The running rows are read through jobs_running_lease (a partial index of running rows),
-- so a long history of finished jobs is never scanned.
UPDATE lamplighter.jobs j
SET status       = CASE WHEN j.attempts < j.max_attempts THEN 'queued' ELSE 'failed' END,
    completed_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE coalesce(CAST(:now AS timestamptz), now()) END,
    last_error   = CASE WHEN r.lease_expired
                        THEN 'lease of node ' || coalesce(j.locked_by, '(none)') || ' expired at ' || CAST(j.locked_until AS text)
                        WHEN r.last_seen_at IS NULL
                        THEN 'node ' || coalesce(j.locked_by, '(none)') || ' is gone from lamplighter.nodes (lease said '
                             || coalesce(CAST(j.locked_until AS text), 'nothing') || ')'
                        ELSE 'node ' || j.locked_by || ' not seen since ' || CAST(r.last_seen_at AS text) || ' (lease said '
                             || coalesce(CAST(j.locked_until AS text), 'nothing') || ')'
                   END,
    locked_by    = NULL,
    locked_until = NULL
FROM (SELECT q.job_id,
             n.last_seen_at,
             q.locked_until < coalesce(CAST(:now AS timestamptz), now()) AS lease_expired
      FROM lamplighter.jobs q
      LEFT JOIN lamplighter.nodes n ON n.node_id = q.locked_by
      WHERE q.status = 'running'
        AND (q.locked_until < coalesce(CAST(:now AS timestamptz), now())
             OR n.node_id IS NULL
             OR n.last_seen_at < coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond')
        AND NOT EXISTS (
            SELECT 1
            FROM lamplighter.job_types t
            JOIN lamplighter.nodes l ON l.node_id = q.locked_by
            WHERE t.job_type = q.job_type
              AND t.exclusive
              AND l.last_seen_at >= coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond'
              AND q.locked_until >= coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond')
      ORDER BY q.locked_until
      LIMIT :limit
      FOR UPDATE OF q SKIP LOCKED) r
WHERE j.job_id = r.job_id
RETURNING j.job_id, j.job_type, j.status, CASE WHEN r.lease_expired THEN 'lease' ELSE 'node' END AS reason
