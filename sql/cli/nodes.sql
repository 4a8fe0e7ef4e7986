-- The CLI's `nodes`: every node row, the leader of the last tick first, with what it can check
-- (launchers, capabilities) and run (job types), how long ago it was seen, whether it is live
-- (heartbeat within :liveMs), whether it led the most recent tick, its drain ('draining' once
-- asked, 'drained' once it runs nothing, else null), the singleton services it holds a live lease
-- on (lamplighter.singletons) and the schedules it declares in code.
-- :now is null in production (the database clock).
SELECT node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at,
       round(CAST(extract(epoch FROM coalesce(CAST(:now AS timestamptz), now()) - last_seen_at) AS numeric), 3)
           AS seen_seconds_ago,
       last_seen_at > coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond'
           AS live,
       last_led_tick_at IS NOT NULL
           AND last_led_tick_at = (SELECT max(n.last_led_tick_at) FROM lamplighter.nodes n) AS led_last_tick,
       (SELECT coalesce(array_agg(s.name ORDER BY s.name), CAST('{}' AS text[]))
        FROM lamplighter.singletons s
        WHERE s.owner = nodes.node_id AND s.lease_until > coalesce(CAST(:now AS timestamptz), now())) AS singletons,
       CASE WHEN drained_at IS NOT NULL THEN 'drained'
            WHEN drain_requested_at IS NOT NULL THEN 'draining' END AS drain,
       drain_requested_at, drained_at,
       capabilities, launchers, job_types, declared_schedules
FROM lamplighter.nodes
ORDER BY last_led_tick_at DESC NULLS LAST, node_id
