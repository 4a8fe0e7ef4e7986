-- GET /api/nodes: every node row, the leader of the last tick first (as sql/cookbook/nodes.sql),
-- with how long ago it was seen, its drain ('draining', 'drained' or null) and the schedules it
-- declares in code. :now is null in production (the database clock).
SELECT node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at, launchers, job_types,
       round(CAST(extract(epoch FROM coalesce(CAST(:now AS timestamptz), now()) - last_seen_at) AS numeric), 3)
           AS seen_seconds_ago,
       CASE WHEN drained_at IS NOT NULL THEN 'drained'
            WHEN drain_requested_at IS NOT NULL THEN 'draining' END AS drain,
       drain_requested_at, drain_requested_by, drained_at, declared_schedules
FROM lamplighter.nodes
ORDER BY last_led_tick_at DESC NULLS LAST, node_id
