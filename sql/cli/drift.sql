-- The CLI's `drift`: schedules declared in code versus the rows in the table, one row per finding.
--   kind 'changed':      a column an operator changed by SQL since code declared it last
--                        (scheduled_jobs.declared): column, declared_value, stored_value (as jsonb).
--   kind 'sql_only':     a row no code has declared (declared IS NULL: written by SQL).
--   kind 'no_live_node': a row no live node (heartbeat within :liveMs) can check: none has its
--                        launcher, so the code that declared it may be gone.
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
    SELECT n.launchers
    FROM lamplighter.nodes n
    WHERE n.last_seen_at > coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond'
)
SELECT st.name, 'changed' AS kind, d.key AS column_name, d.value AS declared_value,
       coalesce(st.current -> d.key, 'null'::jsonb) AS stored_value
FROM stored st
CROSS JOIN LATERAL jsonb_each(st.declared) AS d(key, value)
WHERE st.declared IS NOT NULL
  AND jsonb_typeof(st.declared) = 'object'
  AND coalesce(st.current -> d.key, 'null'::jsonb) IS DISTINCT FROM d.value
UNION ALL
SELECT st.name, 'sql_only', NULL, NULL, NULL
FROM stored st
WHERE st.declared IS NULL
UNION ALL
SELECT st.name, 'no_live_node', 'launcher', NULL, to_jsonb(st.launcher)
FROM stored st
WHERE NOT EXISTS (SELECT 1 FROM live l WHERE st.launcher = ANY (l.launchers))
ORDER BY 1, 2, 3
