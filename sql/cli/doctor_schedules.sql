-- The CLI's `doctor`: each schedule (or the one named by :name; null: all) with what "jobs not
-- running even when needed" depends on: enabled, how far next_run is behind "now", the retry count
-- and last error, the live nodes (heartbeat within :liveMs) that can check it (its launcher and
-- every capability it requires) or that have its launcher but lack a capability, the live nodes
-- with a handler for its job type, and its jobs waiting for a human.
-- :now is null in production (the database clock).
WITH clock AS (
    SELECT coalesce(CAST(:now AS timestamptz), now()) AS now
),
live AS (
    SELECT n.node_id, n.launchers, n.capabilities, n.job_types
    FROM lamplighter.nodes n, clock c
    WHERE n.last_seen_at > c.now - CAST(:liveMs AS bigint) * interval '1 millisecond'
)
SELECT s.name, s.launcher, s.job_type, s.enabled, s.next_run, s.retry_count, s.max_retries, s.last_error,
       s.last_run, s.requires, s.automation,
       CAST(extract(epoch FROM c.now - s.next_run) * 1000 AS bigint) AS overdue_ms,
       ARRAY(SELECT l.node_id FROM live l
             WHERE s.launcher = ANY (l.launchers) AND s.requires <@ l.capabilities
             ORDER BY l.node_id) AS checked_by,
       ARRAY(SELECT l.node_id FROM live l
             WHERE s.launcher = ANY (l.launchers) AND NOT s.requires <@ l.capabilities
             ORDER BY l.node_id) AS lacking_capabilities,
       ARRAY(SELECT l.node_id FROM live l
             WHERE s.job_type = ANY (l.job_types)
             ORDER BY l.node_id) AS handled_by,
       (SELECT count(*) FROM lamplighter.jobs j
        WHERE j.schedule_name = s.name AND j.status = 'awaiting_approval') AS awaiting_approval,
       (SELECT min(j.job_id) FROM lamplighter.jobs j
        WHERE j.schedule_name = s.name AND j.status = 'awaiting_approval') AS oldest_awaiting_job_id,
       (SELECT min(j.created_at) FROM lamplighter.jobs j
        WHERE j.schedule_name = s.name AND j.status = 'awaiting_approval') AS oldest_awaiting_since
FROM lamplighter.scheduled_jobs s, clock c
WHERE CAST(:name AS text) IS NULL OR s.name = CAST(:name AS text)
ORDER BY s.name
