-- The cluster's pause switch, always one row (a missing row reads as not paused).
-- Shared by the CLI (status, nodes, doctor) and the admin API (GET /api/nodes, /health).
SELECT coalesce(c.paused, false) AS paused, c.reason, c.paused_by, c.paused_at
FROM (VALUES (true)) AS one (id)
LEFT JOIN lamplighter.cluster_state c ON c.id = one.id
