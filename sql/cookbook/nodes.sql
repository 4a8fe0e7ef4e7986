-- Live nodes: what each can run, when it was last seen, and which one led the last tick.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -f sql/cookbook/nodes.sql
SELECT node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at,
       launchers, job_types
FROM lamplighter.nodes
ORDER BY last_led_tick_at DESC NULLS LAST, node_id;

-- Schedules whose launcher no live node can run (they stay due until one can).
SELECT name, launcher, next_run, last_error
FROM lamplighter.schedule_status
WHERE NOT launcher_registered
ORDER BY name;
