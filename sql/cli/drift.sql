-- The CLI's `drift`: schedules declared in code versus the rows in the table, one row per finding.
-- A node publishes the names of the schedules it declares (nodes.declared_schedules, written when
-- it starts); a node is live when its heartbeat is within :liveMs.
--   kind 'changed':      a column an operator changed by SQL since code declared it last
--                        (scheduled_jobs.declared): column, declared_value, stored_value (as jsonb).
--   kind 'sql_only':     a row no code has declared (declared IS NULL: written by SQL).
--   kind 'missing':      declared on a live node (nodes) but there is no row: deleted by SQL since
--                        the node started; the node inserts it again when it restarts.
--   kind 'not_declared': a row code declared once that no live node declares now (the code that
--                        declared it is gone, or its nodes are down); only when some live node
--                        declares schedules at all (nodes of a build before V13 publish none).
--   kind 'no_live_node': a row no live node can check: none has its launcher.
-- nodes: the live nodes that declare the schedule (for 'missing', those that declare it).
-- :now is null in production (the database clock).
WITH stored AS (
    SELECT s.name, s.launcher, s.declared,
           jsonb_build_object(
               'launcher', s.launcher,
               'job_type', s.job_type,
               'schedule_cron', s.schedule_cron,
               'interval_ms', CAST(extract(epoch FROM s.schedule_interval) * 1000 AS bigint),
               'time_zone', s.time_zone,
               'params', s.params,
               'automation', s.automation,
               'priority', s.priority,
               'max_attempts', s.max_attempts,
               'max_retries', s.max_retries,
               'requires', to_jsonb(s.requires),
               'misfire_grace_ms', CAST(extract(epoch FROM s.misfire_grace) * 1000 AS bigint)) AS current
    FROM lamplighter.scheduled_jobs s
),
live AS (
    SELECT n.node_id, n.launchers, n.declared_schedules
    FROM lamplighter.nodes n
    WHERE n.last_seen_at > coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond'
),
declaring AS (
    SELECT d.name, array_agg(l.node_id ORDER BY l.node_id) AS nodes
    FROM live l
    CROSS JOIN LATERAL unnest(l.declared_schedules) AS d(name)
    GROUP BY d.name
)
SELECT st.name, 'changed' AS kind, d.key AS column_name, d.value AS declared_value,
       coalesce(st.current -> d.key, 'null'::jsonb) AS stored_value, dn.nodes
FROM stored st
CROSS JOIN LATERAL jsonb_each(st.declared) AS d(key, value)
LEFT JOIN declaring dn ON dn.name = st.name
WHERE st.declared IS NOT NULL
  AND jsonb_typeof(st.declared) = 'object'
  AND coalesce(st.current -> d.key, 'null'::jsonb) IS DISTINCT FROM d.value
UNION ALL
SELECT st.name, 'sql_only', NULL, NULL, NULL, dn.nodes
FROM stored st
LEFT JOIN declaring dn ON dn.name = st.name
WHERE st.declared IS NULL
UNION ALL
SELECT dn.name, 'missing', NULL, NULL, NULL, dn.nodes
FROM declaring dn
WHERE NOT EXISTS (SELECT 1 FROM stored st WHERE st.name = dn.name)
UNION ALL
SELECT st.name, 'not_declared', NULL, NULL, NULL, NULL
FROM stored st
WHERE st.declared IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM declaring dn WHERE dn.name = st.name)
  AND EXISTS (SELECT 1 FROM declaring)
UNION ALL
SELECT st.name, 'no_live_node', 'launcher', NULL, to_jsonb(st.launcher), dn.nodes
FROM stored st
LEFT JOIN declaring dn ON dn.name = st.name
WHERE NOT EXISTS (SELECT 1 FROM live l WHERE st.launcher = ANY (l.launchers))
ORDER BY 1, 2, 3
