-- Live nodes: what each can run, when it was last seen, which one led the last tick, which drain
-- (drain.sql) and what each declares in code; then whether the cluster is paused (pause.sql).
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -f sql/cookbook/nodes.sql
SELECT node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at,
       launchers, job_types, drain_requested_at, drained_at, declared_schedules
FROM lamplighter.nodes
ORDER BY last_led_tick_at DESC NULLS LAST, node_id;

SELECT paused, reason, paused_by, paused_at FROM lamplighter.cluster_state;

-- Schedules whose launcher no live node can run (they stay due until one can).
SELECT name, launcher, next_run, last_error
FROM lamplighter.schedule_status
WHERE NOT launcher_registered
ORDER BY name;
